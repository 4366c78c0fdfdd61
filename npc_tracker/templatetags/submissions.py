import uuid

from django import template
from django.utils.html import format_html

from npc_tracker.submissions import FIELD

register = template.Library()


@register.simple_tag
def submission_token():
    """A fresh one-time token in every rendered form: a second post of the same page is a repeat, not new input."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4())
