"""The inbox over the API: one's own messages only."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from npc_tracker.api import RejectUnknownFields

from . import services
from .models import Channel, Notification


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "event", "subject", "body", "case", "created_at", "read_at"]


class MarkReadInput(RejectUnknownFields, serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), required=False,
                                help_text="Omit to mark every message read.")


class InboxViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your in-app notifications, newest first. `?unread=true` lists the unread ones."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()  # what the schema describes; each caller gets their own (get_queryset)
    filterset_fields = {"read_at": ["isnull"], "event": ["exact"], "case": ["exact"]}

    def get_queryset(self):
        return Notification.objects.filter(recipient=self.request.user, channel=Channel.INBOX).order_by("-pk")

    @extend_schema(summary="Mark messages read (all, or the given ids)",
                   request=MarkReadInput,
                   responses=inline_serializer("Marked", {"marked": serializers.IntegerField()}))
    @action(detail=False, methods=["post"], url_path="mark-read", filter_backends=[], pagination_class=None)
    def mark_read(self, request):
        data = MarkReadInput(data=request.data)
        data.is_valid(raise_exception=True)
        ids = data.validated_data.get("ids")
        return Response({"marked": services.inbox_mark_read(user=request.user, notification_ids=ids)})

    @extend_schema(summary="How many messages are unread",
                   responses=inline_serializer("Unread", {"unread": serializers.IntegerField()}))
    @action(detail=False, methods=["get"], url_path="unread-count", filter_backends=[], pagination_class=None)
    def unread_count(self, request):
        return Response({"unread": services.unread_count(request.user)})
