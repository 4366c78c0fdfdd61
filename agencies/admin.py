from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ApiToken, Body, Committee, Membership


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


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are shown by their first characters only (the rest is a hash); deleting one revokes it."""

    list_display = ["name", "user", "token_key", "created", "expiry"]
    list_filter = ["expiry"]
    search_fields = ["name", "user__username", "token_key"]
    readonly_fields = ["user", "name", "token_key", "created", "expiry"]
    exclude = ["digest"]

    def has_add_permission(self, request):
        return False  # created by their owner, who must see the key once
