"""The view serving the schema. Apart from api_schema, which the settings name as the schema class: drf-spectacular's
views import DRF's, which read those settings."""

from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView


class SchemaView(SpectacularAPIView):
    """The machine-facing schema in one language, English, whatever `Accept-Language` or `?lang=` ask: generated
    clients take class and member names from it, so they must not change with the caller. The choices' labels are
    in the enums' descriptions."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        return self._get_schema_response(request)

    def dispatch(self, request, *args, **kwargs):
        with translation.override("en"):
            response = super().dispatch(request, *args, **kwargs)
            response.render()  # the labels are lazy: turn them into text while English is active
        return response
