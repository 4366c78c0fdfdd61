"""Reading ids and numbers from what a page sends: through forms, so that malformed input is a 400 naming the field,
never a 500 (issue 11 §4)."""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render

# Ids are bigints on PostgreSQL and SQLite alike; a wider number names no row.
ID_RANGE = range(-(2**63), 2**63)


class IdsField(forms.ModelMultipleChoiceField):
    """Several rows by id. Django checks `exact` lookups against the column's range but not `in`: on SQLite an
    id past 64 bits raises OverflowError inside the query."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk).strip()
            if text.lstrip("-").isdigit() and int(text) not in ID_RANGE:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                      params={"value": text})
        return super()._check_values(value)


def refuse(request, form: forms.Form, *, status: int = 400):
    """The page for input a view cannot act on and has no form of its own to show it in: each field and why."""
    errors = [(str(form.fields[name].label or name) if name in form.fields else "", messages)
              for name, messages in form.errors.items()]
    return render(request, "400.html", {"errors": errors}, status=status)
