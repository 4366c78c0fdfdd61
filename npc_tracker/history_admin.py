"""Admin bases for the models with history (design.md rules 1, 2, 8): the admin either only shows a tracked model,
or writes it the way the rest of the code does, with the acting user and a reason in its history.

simple-history's own admin saves the form straight to the row, and its history page puts an object back to an old
version on a POST (its "Revert" button; that view does not ask `revert_disabled` on a POST, and renders every field
of the old version, status included), so a case could be put back into a status the workflow never led it to.
These bases close both ways round the services.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .errors import DomainError

REASON_MAX_LENGTH = 500
_REFUSAL = "_npc_admin_write_refused"


class HistoryAdmin(SimpleHistoryAdmin):
    """A tracked model's admin: its history is shown, never used to revert it (that would bypass the services)."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ViewOnly:
    """A model admin that shows and never writes."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyHistoryAdmin(ViewOnly, HistoryAdmin):
    """Shown here, written only by the app's pages and API, through the services and the workflow."""


class WriteForm(forms.ModelForm):
    """A form whose write a service refused comes back with the refusal on the field it names, and what was typed."""

    refusal: DomainError | None = None

    def clean(self):
        cleaned_data = super().clean()
        if self.refusal is not None:
            self.add_error(self.refusal.field if self.refusal.field in self.fields else None, self.refusal.message)
        return cleaned_data


class ReasonForm(WriteForm):
    """Asks why, so the history says who changed what and why."""

    reason = forms.CharField(label=_("Reason for the change"), max_length=REASON_MAX_LENGTH,
                             help_text=_("Kept in the history with your name."))

    @cached_property
    def changed_data(self):
        return [name for name in super().changed_data if name != "reason"]


class WriteThroughAdmin(HistoryAdmin):
    """Adds and changes are written by `write()` (a service, with the user as the actor); nothing is deleted here.
    A refused write rolls back and shows the form again with the refusal, never a server error."""

    form = WriteForm

    def write(self, request, obj, form, change):
        """Write the object from the valid form; return what was stored. Raise a DomainError to refuse."""
        raise NotImplementedError

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, _REFUSAL, None)
        return type(form.__name__, (form,), {"refusal": refusal}) if refusal is not None else form

    def save_model(self, request, obj, form, change):
        stored = self.write(request, obj, form, change)
        # The admin goes on with `obj` (its log entry, its message, the redirect to it): give it what was stored.
        for field in obj._meta.concrete_fields:
            setattr(obj, field.attname, getattr(stored, field.attname))
        obj._state.adding = False

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as refusal:
            if request.method != "POST" or getattr(request, _REFUSAL, None) is not None:
                raise
            # The admin's transaction has rolled the write back; the same post again shows the form with the refusal.
            setattr(request, _REFUSAL, refusal)
            return super().changeform_view(request, object_id, form_url, extra_context)


class ReferenceDataAdmin(WriteThroughAdmin):
    """Reference data kept by administrators, with no workflow and no service: saved as the form has it, the history
    naming the user and the reason they gave. Rows are deactivated rather than deleted, so history stays whole."""

    form = ReasonForm

    def write(self, request, obj, form, change):
        obj._history_user = request.user
        obj._change_reason = form.cleaned_data["reason"]
        obj.save()
        return obj
