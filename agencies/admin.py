from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Body, Committee, Membership


@admin.register(Body)
class BodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]


@admin.register(Committee)
class CommitteeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "committee", "body", "is_active"]
    list_filter = ["role", "is_active", "committee", "body"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["committee", "body"]
