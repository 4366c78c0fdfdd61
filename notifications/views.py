from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .models import Channel, Notification


@login_required
def inbox(request):
    own = Notification.objects.filter(recipient=request.user, channel=Channel.INBOX).select_related("case")
    page = Paginator(own, 50).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
@require_POST
def mark_read(request):
    ids = request.POST.getlist("id") or None
    marked = services.inbox_mark_read(user=request.user, notification_ids=ids)
    messages.success(request, _("%(n)d notifications marked as read.") % {"n": marked})
    return redirect("notifications:inbox")
