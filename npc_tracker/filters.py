"""Typed filters for django-filter, shared by the pages and the API: a value that is not what the filter takes is a
mistake to point out, never read as "no filter" (design.md rule 14)."""

import django_filters
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.rest_framework import FilterSet as APIFilterSet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ErrorDetail, ValidationError


@extend_schema_field(OpenApiTypes.INT)
class WholeNumberFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField  # a year of 0.5 or 0 is a mistake to point out, not a database error


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.ModelChoiceFilter):
    """A body, committee or meeting by its id; a filter method decides what matching it means."""


class YesNoField(forms.NullBooleanField):
    """Yes, no or either; anything else is a mistake to point out (Django's own field takes it as "either")."""

    widget = forms.TextInput  # passes what was sent; NullBooleanSelect would read anything unknown as "either"

    def to_python(self, value):
        if value not in (None, "", True, False, "true", "false", "True", "False", "1", "0"):
            raise forms.ValidationError(_("Choose yes or no."), code="invalid")
        return super().to_python(value)


@extend_schema_field(OpenApiTypes.BOOL)
class YesNoFilter(django_filters.BooleanFilter):
    field_class = YesNoField


class TypedFilterSet(APIFilterSet):
    """What a view's `filterset_fields` generate: yes/no filters that refuse anything else (`isnull` lookups too),
    whole numbers for integer columns."""

    FILTER_DEFAULTS = {
        **FILTER_FOR_DBFIELD_DEFAULTS,
        models.BooleanField: {"filter_class": YesNoFilter},
        # django-filter reads every number as a decimal: `term=0.5` would filter nothing instead of being refused.
        **{field: {"filter_class": WholeNumberFilter}
           for field in (models.IntegerField, models.SmallIntegerField, models.BigIntegerField,
                         models.PositiveIntegerField, models.PositiveSmallIntegerField,
                         models.PositiveBigIntegerField)},
    }

    @classmethod
    def filter_for_lookup(cls, field, lookup_type):
        filter_class, params = super().filter_for_lookup(field, lookup_type)
        if lookup_type == "isnull":
            filter_class = YesNoFilter
        return filter_class, params


class TypedFilterBackend(DjangoFilterBackend):
    """The API's filters. An empty value is "no filter" on the pages' forms; to the API it is a value, and only a
    text filter takes an empty one (the schema types the others as numbers, dates, choices)."""

    filterset_base = TypedFilterSet

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            sent = request.query_params
            empty = [name for name, declared in filterset.filters.items()
                     if not isinstance(declared, django_filters.CharFilter) and "" in sent.getlist(name)]
            if empty:
                raise ValidationError({name: [ErrorDetail(_("A value is required."), code="invalid")]
                                       for name in empty})
        return filterset
