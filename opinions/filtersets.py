"""The FilterSets of the case list and of the audit-problem ledger, each shared by the HTML page and the API
(design.md rule 7)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Body, Committee
from npc_tracker.filters import IdFilter, WholeNumberFilter, YesNoFilter

from . import choices
from .dashboard import rehandled_q
from .models import AuditArea, AuditProblem, Case, Meeting
from .selectors import due_soon, due_within_q, late_handovers, late_q, on_time_q, overdue_q, owed_with_due_date_q, today


def _date(label):
    return django_filters.DateFilter(label=label, method="filter_date_range",
                                     widget=forms.DateInput(attrs={"type": "date"}))


class CaseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=choices.CASE_STATUS_CHOICES)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=choices.CaseKind.choices)
    body = IdFilter(label=_("Body"), queryset=Body.objects.all(), method="filter_body")
    lead_body = django_filters.ModelChoiceFilter(label=_("Lead body"), queryset=Body.objects.all())
    committee = IdFilter(label=_("Committee"), queryset=Committee.objects.all(), method="filter_committee")
    supervising_committee = django_filters.ModelChoiceFilter(label=_("Supervising committee"),
                                                             queryset=Committee.objects.all())
    meeting = django_filters.ModelChoiceFilter(label=_("Meeting"), queryset=Meeting.objects.all())
    year = WholeNumberFilter(label=_("Year"), method="filter_year", min_value=1949, max_value=2999)
    due_within = WholeNumberFilter(label=_("Due within (days)"), method="filter_due_within", min_value=0,
                                   max_value=3660)
    due_after = django_filters.DateFilter(label=_("Due on or after"), field_name="due_date", lookup_expr="gte",
                                          widget=forms.DateInput(attrs={"type": "date"}))
    due_before = django_filters.DateFilter(label=_("Due on or before"), field_name="due_date", lookup_expr="lte",
                                           widget=forms.DateInput(attrs={"type": "date"}))
    issued_after = _date(_("Issued on or after"))
    issued_before = _date(_("Issued on or before"))
    closed_after = _date(_("Closed on or after"))
    closed_before = _date(_("Closed on or before"))
    rag = django_filters.ChoiceFilter(label=_("Colour"), method="filter_rag", choices=[
        ("red", _("Red: overdue")), ("amber", _("Amber: due soon")), ("green", _("Green: on schedule")),
        ("none", _("No colour: not owed, or no due date"))])
    timeliness = django_filters.ChoiceFilter(label=_("Timeliness"), method="filter_timeliness", choices=[
        ("on_time", _("Reported on time")), ("late", _("Late (reported late or overdue now)"))])
    rehandled = YesNoFilter(
        label=_("Re-handled after 不满意"), method="filter_rehandled",
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]))
    late_handover = YesNoFilter(
        label=_("Handed over late"), method="filter_late_handover",
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]))
    overdue = YesNoFilter(
        label=_("Overdue"), method="filter_overdue",
        widget=forms.Select(choices=[("", _("All")), ("true", _("Overdue only")), ("false", _("Not overdue"))]),
    )

    class Meta:
        model = Case
        fields = ["q", "status", "kind", "body", "lead_body", "committee", "supervising_committee", "meeting", "year",
                  "due_within", "due_after", "due_before", "issued_after", "issued_before", "closed_after",
                  "closed_before", "rag", "timeliness", "rehandled", "late_handover", "overdue"]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        in_items = Q(items__heading__icontains=value) | Q(items__text__icontains=value)
        matching = Case.objects.filter(
            Q(title__icontains=value) | Q(doc_number__icontains=value) | Q(opinion_text__icontains=value) | in_items
        ).values("pk")
        return queryset.filter(pk__in=matching)

    def filter_body(self, queryset, name, body):
        co_handled = Case.co_bodies.through.objects.filter(body=body).values("case_id")
        return queryset.filter(Q(lead_body=body) | Q(pk__in=co_handled))

    def filter_committee(self, queryset, name, committee):
        return queryset.filter(
            Q(drafting_committee=committee) | Q(supervising_committee=committee) | Q(consulted_committee=committee)
        )

    def filter_year(self, queryset, name, year):
        return queryset.filter(
            Q(meeting__start_date__year=year) | Q(meeting__isnull=True, issued_date__year=year)
        )

    def filter_due_within(self, queryset, name, days):
        """Still owed by the body and due between today and today + N days (overdue cases have their own filter)."""
        return queryset.filter(due_within_q(today(), days))

    def filter_date_range(self, queryset, name, day):
        field, _sep, end = name.rpartition("_")
        return queryset.filter(**{f"{field}_date__{'gte' if end == 'after' else 'lte'}": day})

    def filter_rag(self, queryset, name, colour):
        soon, now = due_soon(), today()
        if colour == "none":
            return queryset.exclude(owed_with_due_date_q())
        return queryset.filter({"red": overdue_q(now), "amber": soon.amber_q(now), "green": soon.green_q(now)}[colour])

    def filter_timeliness(self, queryset, name, value):
        now = today()
        return queryset.filter(on_time_q(now) if value == "on_time" else late_q(now))

    def filter_rehandled(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(rehandled_q()) if value else queryset.exclude(rehandled_q())

    def filter_late_handover(self, queryset, name, value):
        if value is None:
            return queryset
        late = late_handovers(Case.objects.all(), today()).values("pk")
        return queryset.filter(pk__in=late) if value else queryset.exclude(pk__in=late)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        condition = overdue_q(today())
        return queryset.filter(condition) if value else queryset.exclude(condition)


class AuditProblemFilterSet(django_filters.FilterSet):
    audit_year = WholeNumberFilter(label=_("Audit year"), field_name="audit_year", min_value=1990, max_value=2100)
    # The pages' selects say 全部 for "no filter"; the API ignores the empty choice's label.
    unit = IdFilter(label=_("Unit responsible"), queryset=Body.objects.all(), field_name="item__responsible_body",
                    empty_label=_("All"))
    area = IdFilter(label=_("Area"), queryset=AuditArea.objects.all(), empty_label=_("All"))
    status = django_filters.ChoiceFilter(label=_("Status"), field_name="item__status",
                                         choices=choices.ITEM_STATUS_CHOICES, empty_label=_("All"))
    rectification_type = django_filters.ChoiceFilter(label=_("Rectification type"),
                                                     choices=choices.RectificationType.choices, empty_label=_("All"))
    repeat = YesNoFilter(label=_("Repeat finding (屡审屡犯)"), field_name="repeat_of", lookup_expr="isnull",
                         exclude=True,
                         widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]))
    case = IdFilter(label=_("Case"), queryset=Case.objects.all(), field_name="item__case", empty_label=_("All"))

    class Meta:
        model = AuditProblem
        fields = ["audit_year", "unit", "area", "status", "rectification_type", "repeat", "case"]
