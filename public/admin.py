"""Publications are only shown here: they are written by the case page's and the API's publish and unpublish steps,
through public.services and the workflow."""

from django.contrib import admin

from npc_tracker.history_admin import ReadOnlyHistoryAdmin

from .models import Publication, PublishedFile


@admin.register(Publication)
class PublicationAdmin(ReadOnlyHistoryAdmin):
    list_display = ["slug", "case", "year", "published_at", "unpublished_at"]
    list_filter = ["year"]
    search_fields = ["slug", "case__title"]
    list_select_related = ["case"]


@admin.register(PublishedFile)
class PublishedFileAdmin(ReadOnlyHistoryAdmin):
    list_display = ["original_name", "publication", "role", "size"]
    list_filter = ["role"]
    list_select_related = ["publication"]
