"""Each action's input is declared once, as the form of the web page; the API validates with a serializer made
from that form, so the two cannot drift apart and the OpenAPI schema still documents every field."""

import functools

from django import forms
from rest_framework import serializers

from npc_tracker.api import RejectUnknownFields

from ..forms import MultipleFileField


def _field(form_field: forms.Field) -> serializers.Field:
    common = {"required": form_field.required, "label": form_field.label, "help_text": form_field.help_text or None}
    if isinstance(form_field, MultipleFileField):
        return serializers.ListField(child=serializers.FileField(), required=False, label=form_field.label,
                                     help_text=form_field.help_text or None)
    if isinstance(form_field, forms.FileField):
        return serializers.FileField(allow_null=True, **common)
    if isinstance(form_field, forms.ModelMultipleChoiceField):  # before ModelChoiceField, its parent class
        return serializers.PrimaryKeyRelatedField(queryset=form_field.queryset, many=True, allow_empty=True, **common)
    if isinstance(form_field, forms.ModelChoiceField):
        return serializers.PrimaryKeyRelatedField(queryset=form_field.queryset, allow_null=not form_field.required,
                                                  **common)
    if isinstance(form_field, forms.TypedChoiceField):
        return _TypedChoiceField(choices=form_field.choices, coerce=form_field.coerce, **common)
    if isinstance(form_field, forms.MultipleChoiceField):  # before ChoiceField, its parent class
        return serializers.MultipleChoiceField(choices=form_field.choices, allow_empty=True, **common)
    if isinstance(form_field, forms.ChoiceField):
        return serializers.ChoiceField(choices=form_field.choices, **common)
    if isinstance(form_field, forms.DateField):
        return serializers.DateField(allow_null=not form_field.required, **common)
    if isinstance(form_field, forms.DecimalField):  # before IntegerField, its parent class
        return serializers.DecimalField(max_digits=form_field.max_digits, decimal_places=form_field.decimal_places,
                                        min_value=form_field.min_value, allow_null=not form_field.required, **common)
    if isinstance(form_field, forms.IntegerField):
        return serializers.IntegerField(min_value=form_field.min_value, max_value=form_field.max_value, **common)
    if isinstance(form_field, forms.BooleanField):
        return serializers.BooleanField(**common)
    if isinstance(form_field, forms.CharField):
        return serializers.CharField(max_length=form_field.max_length, allow_blank=not form_field.required,
                                     trim_whitespace=True, **common)
    raise TypeError(f"no serializer field for {type(form_field).__name__}")


class _TypedChoiceField(serializers.ChoiceField):
    def __init__(self, *, coerce, **kwargs):
        self.coerce = coerce
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        return self.coerce(super().to_internal_value(data))


def _defaults(form_class: type[forms.Form]) -> dict:
    """What the form gives for a field left out (the services expect every keyword)."""
    return {name: [] if isinstance(field, MultipleFileField) else False if isinstance(field, forms.BooleanField)
            else None if not isinstance(field, forms.CharField)
            else "" for name, field in form_class.base_fields.items() if not field.required}


@functools.cache  # one class per form: actions sharing a form share one schema component
def serializer_from_form(form_class: type[forms.Form], *, files: bool = True) -> type[serializers.Serializer]:
    """The form's fields as a strict input serializer: `<Form>Input` reads JSON; with `files=True` and a form that
    takes files, `<Form>Upload` reads multipart, the same fields plus the files (JSON cannot carry them)."""
    defaults = _defaults(form_class)

    def to_internal_value(self, data):
        return {**defaults, **super(serializer, self).to_internal_value(data)}

    attrs = {name: _field(field) for name, field in form_class.base_fields.items()
             if files or not isinstance(field, forms.FileField)}
    attrs["to_internal_value"] = to_internal_value
    suffix = "Upload" if files and takes_files(form_class) else "Input"
    serializer = type(form_class.__name__.removesuffix("Form") + suffix, (RejectUnknownFields, serializers.Serializer),
                      attrs)
    return serializer


def takes_files(form_class: type[forms.Form]) -> bool:
    return any(isinstance(field, forms.FileField) for field in form_class.base_fields.values())  # one or several
