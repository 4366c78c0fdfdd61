"""The people named in records (`submitted_by`, `reviewed_by`, `recorded_by`…), as far as the caller may see them
(agencies.selectors.memberships_seen_by): a name and the places they hold or held."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from rest_framework import serializers, viewsets

from .models import Membership
from .selectors import memberships_seen_by


class PlaceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Membership
        fields = ["role", "committee", "body", "is_active"]


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField(help_text="The full name, or the user name when none is recorded.")
    places = PlaceSerializer(many=True, read_only=True, source="seen_memberships",
                             help_text="The places you may see: committee staff, liaison of a body, leadership.")

    class Meta:
        model = get_user_model()
        fields = ["id", "name", "places"]

    def get_name(self, user) -> str:
        return user.get_full_name() or user.username


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """People with a place you may see. Staff, leadership and administrators see everyone with a place; a liaison
    sees the Standing Committee's side and their own body's liaisons."""

    serializer_class = PersonSerializer
    queryset = get_user_model().objects.none()  # what the schema describes; each caller gets their own
    search_fields = ["username", "first_name", "last_name"]
    ordering_fields = ["username"]

    def get_queryset(self):
        seen = memberships_seen_by(self.request.user)
        return (get_user_model().objects.filter(pk__in=seen.values("user_id")).order_by("pk")
                .prefetch_related(Prefetch("memberships", queryset=seen.order_by("pk"),
                                           to_attr="seen_memberships")))
