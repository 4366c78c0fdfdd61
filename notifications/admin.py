"""Admin: every notification with its attempts and errors, and re-sending them; people's channels."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import delivery
from .models import Endpoint, Notification
from .queue import enqueue
from .tasks import send_notifications


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipient", "address", "channel", "state", "attempts", "next_attempt_at", "last_error",
                    "created_at", "claimed_at"]
    list_filter = ["channel", "state", "event"]
    search_fields = ["subject", "address", "recipient__username"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send again"))
    def resend(self, request, queryset):
        ids = [n.pk for n in queryset if delivery.resend(n.pk)]
        if ids:
            enqueue(send_notifications, ids)
        self.message_user(request, _("%(n)d notifications queued again.") % {"n": len(ids)}, messages.SUCCESS)


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    list_display = ["user", "channel", "target", "enabled", "disabled_reason"]
    list_filter = ["channel", "enabled"]
    search_fields = ["user__username", "target"]
