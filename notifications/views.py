from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from npc_tracker import submissions
from npc_tracker.errors import DomainError
from npc_tracker.forms import IdsField, refuse
from npc_tracker.submissions import once_per_submission

from . import channels, services
from .forms import EndpointForm
from .models import Channel, Notification


@login_required
def inbox(request):
    own = Notification.objects.filter(recipient=request.user, channel=Channel.INBOX).select_related("case")
    page = Paginator(own, 50).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


class MarkReadForm(forms.Form):
    id = IdsField(label=gettext_lazy("Notification"), queryset=Notification.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id"].queryset = Notification.objects.filter(recipient=user, channel=Channel.INBOX)


@login_required
@require_POST
@once_per_submission
def mark_read(request):
    form = MarkReadForm(request.POST, user=request.user)
    if not form.is_valid():
        return refuse(request, form)
    ids = [n.pk for n in form.cleaned_data["id"]] if "id" in request.POST else None  # none named: all of them
    marked = services.inbox_mark_read(user=request.user, notification_ids=ids)
    messages.success(request, _("%(n)d notifications marked as read.") % {"n": marked})
    return redirect("notifications:inbox")


@login_required
@once_per_submission
def channel_list(request):
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = channels.endpoint_add(user=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, _("Channel added: %(target)s") % {"target": endpoint.target})
            return redirect("notifications:channels")
    return render(request, "notifications/channels.html", {
        "form": form, "endpoints": channels.endpoints_with_latest_outcome(request.user),
    }, status=400 if form.errors else 200)


CHANNEL_ACTIONS = {
    "enable": (lambda user, pk: channels.endpoint_set_enabled(user=user, endpoint_id=pk, enabled=True),
               lambda: _("Channel switched on.")),
    "disable": (lambda user, pk: channels.endpoint_set_enabled(user=user, endpoint_id=pk, enabled=False),
                lambda: _("Channel switched off.")),
    "remove": (lambda user, pk: channels.endpoint_remove(user=user, endpoint_id=pk), lambda: _("Channel removed.")),
    "test": (lambda user, pk: channels.endpoint_send_test(user=user, endpoint_id=pk),
             lambda: _("Test message sent; its outcome appears below within a minute.")),
}


@login_required
@require_POST
@once_per_submission
def channel_action(request, pk, action):
    if action not in CHANNEL_ACTIONS:
        raise Http404
    run, done = CHANNEL_ACTIONS[action]
    try:
        run(request.user, pk)
    except DomainError as exc:
        if exc.code == "not_found":
            raise Http404 from exc
        messages.error(request, exc.message)
        submissions.refused(request)
    else:
        messages.success(request, done())
    return redirect("notifications:channels")
