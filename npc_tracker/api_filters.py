"""Query parameters are part of the contract (design.md rule 14): each is typed as what it is, a bad value is a 400
naming it, and a parameter the operation does not read is a 400 too — a misspelt filter must not answer with every
case. The schema lists exactly what these classes accept."""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.filters import BaseFilterBackend, OrderingFilter, SearchFilter
from rest_framework.settings import api_settings


def refuse(name: str, message: str, code: str = "invalid"):
    raise exceptions.ValidationError({name: [exceptions.ErrorDetail(message, code=code)]})


class StrictOrderingFilter(OrderingFilter):
    """`ordering` is one of the view's `ordering_fields`, ascending or with `-` for descending; anything else is a
    400. Views without `ordering_fields` take no `ordering`. Ties are broken by id, so pages never overlap."""

    @staticmethod
    def choices(view) -> list[str]:
        fields = getattr(view, "ordering_fields", None) or []
        return [prefix + field for field in fields for prefix in ("", "-")]

    def get_ordering(self, request, queryset, view):
        value = request.query_params.get(self.ordering_param)
        if value is None:
            return None
        allowed = self.choices(view)
        if value not in allowed:
            refuse(self.ordering_param, _("Choose one of: %s") % ", ".join(allowed), "invalid_choice")
        return [value, "pk"]

    def get_schema_operation_parameters(self, view):
        allowed = self.choices(view)
        if not allowed:
            return []
        return [{
            "name": self.ordering_param, "required": False, "in": "query",
            "description": "Sort by one field; `-` first for descending. Ties are broken by id.",
            "schema": {"type": "string", "enum": allowed},
        }]

    def parameter_names(self, view) -> set[str]:
        return {self.ordering_param} if self.choices(view) else set()


class Search(SearchFilter):
    """`search` where the view names `search_fields`, and nowhere else."""

    def get_schema_operation_parameters(self, view):
        return super().get_schema_operation_parameters(view) if self.parameter_names(view) else []

    def parameter_names(self, view) -> set[str]:
        return {self.search_param} if getattr(view, "search_fields", None) else set()


class KnownParametersOnly(BaseFilterBackend):
    """First of the filter backends: every query parameter must be one the view's other backends, its paginator
    or the view itself (`extra_query_params`) read."""

    def filter_queryset(self, request, queryset, view):
        unknown = sorted(set(request.query_params) - known_parameters(view, queryset))
        if unknown:
            raise exceptions.ValidationError({
                name: [exceptions.ErrorDetail(_("Unknown parameter."), code="unknown_field")] for name in unknown})
        return queryset


def known_parameters(view, queryset=None) -> set[str]:
    names = {api_settings.URL_FORMAT_OVERRIDE, *getattr(view, "extra_query_params", ())}
    for backend_class in view.filter_backends:
        backend = backend_class()
        if hasattr(backend, "parameter_names"):
            names |= backend.parameter_names(view)
        elif hasattr(backend, "get_filterset_class"):  # django-filter's backend
            filterset_class = backend.get_filterset_class(view, queryset if queryset is not None else
                                                          view.get_queryset())
            names |= set(filterset_class.base_filters) if filterset_class else set()
    paginator = getattr(view, "paginator", None)
    if paginator is not None:
        names |= {paginator.page_query_param, paginator.page_size_query_param}
    return names
