"""Admin: bodies, committees and memberships are reference data kept here by administrators. There is no workflow
to them and no service: an edit asks for a reason, and the history keeps it with the user (design.md rule 8)."""

from django.contrib import admin

from npc_tracker.history_admin import ReferenceDataAdmin

from .models import ApiToken, Body, Committee, Membership


@admin.register(Body)
class BodyAdmin(ReferenceDataAdmin):
    list_display = ["name", "short_name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]


@admin.register(Committee)
class CommitteeAdmin(ReferenceDataAdmin):
    list_display = ["name", "short_name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]


@admin.register(Membership)
class MembershipAdmin(ReferenceDataAdmin):
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
