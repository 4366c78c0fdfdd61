from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Channel


class EndpointForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=[(Channel.EMAIL, Channel.EMAIL.label),
                                                             (Channel.WEBHOOK, Channel.WEBHOOK.label)])
    target = forms.CharField(label=_("Address or URL"), max_length=500,
                             help_text=_("An e-mail address, or the webhook address of an SMS gateway or a "
                                         "政务钉钉 / 企业微信 robot."))
    secret = forms.CharField(label=_("Signing secret (webhooks)"), max_length=200, required=False,
                             help_text=_("Leave empty to have a strong secret made for you."))
