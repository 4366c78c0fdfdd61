from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from npc_tracker.errors import DomainError
from npc_tracker.submissions import once_per_submission

from . import tokens


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("What will use it"), max_length=100,
                           widget=forms.TextInput(attrs={"placeholder": "大屏 / 市政府督办系统"}))
    days = forms.TypedChoiceField(label=gettext_lazy("Valid for"), coerce=int, initial=90,
                                  choices=[(days, gettext_lazy("%(days)s days") % {"days": days})
                                           for days in tokens.LIFETIMES])


@login_required
@once_per_submission
def token_list(request):
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = tokens.token_create(user=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field, exc.message)
        else:
            form = TokenForm()
    return render(request, "registration/tokens.html", {
        "form": form, "tokens": tokens.own_tokens(request.user), "new_key": new_key,
    }, status=400 if form.errors else 200)


@login_required
@require_POST
@once_per_submission
def token_revoke(request, token_key):
    if not tokens.token_revoke(user=request.user, token_key=token_key):
        raise Http404
    messages.success(request, _("Token revoked: it no longer works."))
    return redirect("token_list")
