"""Form posts are idempotent: a double click, a reload that re-posts, or two tabs of the same page do the action once.

Each rendered form carries a one-time token (`{% submission_token %}`). The first post with it claims a row
(unique per user and token) in the same transaction as the view's action; a failed action (a 4xx answer or an
exception) rolls the claim back with it, so the user can correct and send again. A repeat finds the claim — on
PostgreSQL a concurrent repeat waits on the unique index until the first commits — and is sent where the first one
went (post/redirect/get), with a message instead of a second action.

A post without a token is processed as before: pages always render one (tests/test_malformed_input.py checks every
form of every page), and refusing its absence would only break a page rendered before an upgrade.
"""

from datetime import timedelta
from functools import wraps

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .forms import refuse
from .models import Submission

FIELD = "submission_token"
# A claim is kept this long: a repeat later than that (a week-old tab re-posted) is taken as new.
KEPT = timedelta(days=7)


class TokenForm(forms.Form):
    submission_token = forms.UUIDField(label=gettext_lazy("Form"), required=False, error_messages={
        "invalid": gettext_lazy("This form has expired: reload the page and submit it again.")})


def once_per_submission(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST" or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        form = TokenForm(request.POST)
        if not form.is_valid():
            return refuse(request, form)
        token = form.cleaned_data[FIELD]
        if token is None:
            return view(request, *args, **kwargs)
        return _claimed(request, token, lambda: view(request, *args, **kwargs))

    wrapper.once_per_submission = True
    return wrapper


def refused(request) -> None:
    """For a view that refuses by redirecting with a message (not a 4xx): nothing was done, so the form's token is
    given back and the same form may be corrected and sent again."""
    request.submission_refused = True


def _claimed(request, token, run):
    now = timezone.now()
    with transaction.atomic():
        # Each user's own old claims go as they make new ones: bounded, and no lock on anybody else's rows.
        Submission.objects.filter(user=request.user, created_at__lt=now - KEPT).delete()
        try:
            with transaction.atomic():
                claim = Submission.objects.create(user=request.user, token=token, created_at=now)
        except IntegrityError:
            first = Submission.objects.get(user=request.user, token=token)
            messages.info(request, _("This form was already submitted; it was not processed again."))
            return redirect(first.redirect_to or request.path)
        response = run()
        if response.status_code >= 400 or getattr(request, "submission_refused", False):
            transaction.set_rollback(True)
        elif response.has_header("Location"):
            claim.redirect_to = response["Location"]
            claim.save(update_fields=["redirect_to"])
        return response
