"""The meeting register: every signed-in user reads it; committee staff register meetings and reports heard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from npc_tracker.errors import InvalidInput
from npc_tracker.submissions import once_per_submission

from .. import selectors
from ..meeting_forms import HeardReportForm, MeetingForm
from ..models import Meeting
from ..permissions import can_create_cases
from ..services import meetings

PAGE_SIZE = 50


def _meetings_with_counts(user):
    # Count only the cases this user may see: a liaison must not learn how many cases other bodies have.
    visible_cases = (selectors.cases_visible_to(user).filter(meeting=OuterRef("pk")).order_by()
                     .values("meeting").annotate(n=Count("pk")).values("n"))
    return Meeting.objects.annotate(
        report_count=Count("heard_reports"),
        case_count=Coalesce(Subquery(visible_cases, output_field=IntegerField()), Value(0)),
    ).order_by("-start_date", "-pk")


def _require_staff(user) -> None:
    if not can_create_cases(user):
        raise PermissionDenied


@login_required
def meeting_list(request):
    page = Paginator(_meetings_with_counts(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "opinions/meeting_list.html", {
        "page": page, "can_register": can_create_cases(request.user),
    })


def _meeting_form(request, form: MeetingForm, save, *, meeting=None):
    """Validate, call the service, and on a refusal show its message beside the field it concerns."""
    if request.method == "POST" and form.is_valid():
        try:
            meeting = save(**form.cleaned_data)
        except InvalidInput as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, _("Meeting saved: %(meeting)s") % {"meeting": meeting})
            return redirect("opinions:meeting_detail", pk=meeting.pk)
    return render(request, "opinions/meeting_form.html", {"form": form, "meeting": meeting},
                  status=400 if form.errors else 200)


@login_required
@once_per_submission
def meeting_create(request):
    _require_staff(request.user)
    return _meeting_form(request, MeetingForm(request.POST or None),
                         lambda **fields: meetings.meeting_create(actor=request.user, **fields))


@login_required
@once_per_submission
def meeting_edit(request, pk):
    _require_staff(request.user)
    meeting = get_object_or_404(Meeting, pk=pk)
    form = MeetingForm(request.POST or None, initial=MeetingForm.initial_from(meeting))
    return _meeting_form(request, form,
                         lambda **fields: meetings.meeting_update(meeting=meeting, actor=request.user, **fields),
                         meeting=meeting)


@login_required
@once_per_submission
def meeting_detail(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    can_register = can_create_cases(request.user)
    form = None
    if can_register:
        form = HeardReportForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                report = meetings.heard_report_add(meeting=meeting, actor=request.user, **form.cleaned_data)
            except InvalidInput as exc:
                form.add_error(exc.field, exc.message)
            else:
                messages.success(request, _("Report added to the agenda: %(title)s") % {"title": report.title})
                return redirect("opinions:meeting_detail", pk=meeting.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "opinions/meeting_detail.html", {
        "meeting": meeting,
        "heard_reports": meeting.heard_reports.select_related("body", "committee"),
        "cases": selectors.cases_visible_to(request.user).filter(meeting=meeting)
        .select_related("lead_body").order_by("title", "pk"),
        "can_register": can_register,
        "form": form,
    }, status=400 if form is not None and form.errors else 200)
