"""/api/v1/audit-problems/: the audit-problem ledger (审计查出问题整改台账, issue 15) — the rows you may see, the
units' rectification reports, 屡审屡犯, the audit office's list imported from Excel, and its template. Amounts are
in 万元. Progress, mark-done, 销号 and carry-over of a problem are its item's steps on the case
(`/cases/{case}/items/{id}/…`): a problem's `id` is its item's."""

from django.db.models import Max
from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from npc_tracker.api import RejectUnknownFields, absolute_url

from .. import audit_figures, audit_import, audit_report, selectors, services, tasks
from ..choices import RECTIFIED_BY_WAY, CaseKind
from ..filtersets import AuditProblemFilterSet
from ..models import AuditImport, AuditProblem, AuditReportText, Case
from .views import LOCATION, REFUSALS, StoredMediaType

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# A way left out of a report keeps its figure: none is required.
MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": 0, "required": False}
ID = {"min_value": 1, "max_value": 2**31 - 1}


class RectifiedByWaySerializer(serializers.Serializer):
    paid_to_treasury = serializers.DecimalField(allow_null=True, help_text="上缴财政, 万元", **MONEY)
    disbursed = serializers.DecimalField(allow_null=True, help_text="拨付, 万元", **MONEY)
    accounts_adjusted = serializers.DecimalField(allow_null=True, help_text="调整账目, 万元", **MONEY)
    returned_to_source = serializers.DecimalField(allow_null=True, help_text="归还原资金渠道, 万元", **MONEY)
    losses_recovered = serializers.DecimalField(allow_null=True, help_text="挽回损失, 万元", **MONEY)


class AuditProblemSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="pk", read_only=True, help_text="The problem's item id on its case.")
    case = serializers.IntegerField(source="item.case_id", read_only=True)
    number = serializers.IntegerField(source="item.number", read_only=True, help_text="Its number on the case.")
    area_name = serializers.CharField(source="area.name", read_only=True)
    unit = serializers.IntegerField(source="item.responsible_body_id", read_only=True,
                                    help_text="The unit responsible (a body).")
    unit_name = serializers.CharField(source="item.responsible_body.name", read_only=True)
    heading = serializers.CharField(source="item.heading", read_only=True)
    text = serializers.CharField(source="item.text", read_only=True)
    amount_involved = serializers.DecimalField(source="item.amount", max_digits=14, decimal_places=2,
                                               read_only=True, allow_null=True, help_text="万元")
    amount_rectified = serializers.DecimalField(source="item.rectified_amount", max_digits=14, decimal_places=2,
                                                read_only=True, allow_null=True,
                                                help_text="万元: the sum of `rectified_by_way`.")
    rectified_by_way = serializers.SerializerMethodField()
    status = serializers.CharField(source="item.status", read_only=True,
                                   help_text="The item's status: `closed` is verified as rectified (销号).")
    progress_note = serializers.CharField(source="item.progress_note", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = AuditProblem
        fields = ["id", "url", "case", "number", "reference", "audit_year", "area", "area_name", "problem_type",
                  "unit", "unit_name", "heading", "text", "amount_involved", "amount_rectified", "rectified_by_way",
                  "rectification_type", "rules_made", "people_dealt_with", "matters_referred", "status",
                  "progress_note", "repeat_of", "verified_by", "verified_at"]
        read_only_fields = fields

    @extend_schema_field(RectifiedByWaySerializer)
    def get_rectified_by_way(self, problem) -> dict:
        return RectifiedByWaySerializer({name: getattr(problem, name) for name, _label in RECTIFIED_BY_WAY}).data

    def get_url(self, problem) -> str:
        return absolute_url(self.context.get("request"), reverse("v1:audit-problem-detail", args=[problem.pk]))


class AuditProblemReportSerializer(RejectUnknownFields, serializers.Serializer):
    progress_note = serializers.CharField(help_text="What was done since the last report.")
    rectified_by_way = RectifiedByWaySerializer(
        required=False, help_text="Totals to date, 万元; a way left out keeps its figure, null clears it. Their sum "
                                  "is the amount rectified and may not exceed the amount involved.")
    rules_made = serializers.IntegerField(required=False, min_value=0, max_value=100000)
    people_dealt_with = serializers.IntegerField(required=False, min_value=0, max_value=100000)
    matters_referred = serializers.IntegerField(required=False, min_value=0, max_value=100000)


class AuditRepeatSerializer(RejectUnknownFields, serializers.Serializer):
    repeat_of = serializers.IntegerField(allow_null=True, help_text="The earlier problem's id; null: not a repeat.",
                                         **ID)


class AuditImportSerializer(RejectUnknownFields, serializers.Serializer):
    case = serializers.IntegerField(help_text="The audit rectification case the problems go on.", **ID)
    file = serializers.FileField(help_text="The filled-in template (.xlsx).")


class ImportRowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="As Excel numbers it; 0: the file as a whole.")
    column = serializers.CharField()
    message = serializers.CharField()


class ImportProgressSerializer(serializers.Serializer):
    phase = serializers.ChoiceField(choices=audit_import.PHASES)
    done = serializers.IntegerField()
    total = serializers.IntegerField()


class AuditImportJobSerializer(serializers.ModelSerializer):
    errors = ImportRowErrorSerializer(many=True, read_only=True)
    progress = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = AuditImport
        fields = ["id", "url", "case", "original_name", "state", "progress", "rows", "created", "updated",
                  "unchanged", "errors", "created_at", "finished_at"]
        read_only_fields = fields

    @extend_schema_field(ImportProgressSerializer)
    def get_progress(self, job) -> dict:
        return audit_import.progress_of(job)

    def get_url(self, job) -> str:
        return absolute_url(self.context.get("request"), reverse("v1:audit-import-detail", args=[job.pk]))


@extend_schema_view(
    list=extend_schema(summary="Audit problems you may see (the ledger), by audit year and reference"),
    retrieve=extend_schema(summary="One audit problem"),
)
class AuditProblemViewSet(viewsets.ReadOnlyModelViewSet):
    """The ledger's rows: every problem for the staff and leadership; a liaison sees their own unit's problems, and
    all of a case their body leads."""

    serializer_class = AuditProblemSerializer
    queryset = AuditProblem.objects.none()  # what the schema describes; each caller gets their own
    lookup_url_kwarg = "id"  # the primary key is the item's: {item} in a path would read as an item of a case
    # A one-to-one key skips Django's range check of an id: one too long for a bigint is not a route (404).
    lookup_value_regex = "[0-9]{1,18}"
    filterset_class = AuditProblemFilterSet
    search_fields = ["reference", "problem_type", "item__heading"]
    ordering_fields = ["audit_year", "reference"]

    def get_queryset(self):
        return (selectors.audit_problems_visible_to(self.request.user)
                .select_related("item", "item__responsible_body", "area").order_by("audit_year", "reference", "pk"))

    @extend_schema(summary="A unit reports on its problem: progress, money rectified by way, rules, accountability",
                   request=AuditProblemReportSerializer, responses={200: AuditProblemSerializer, **REFUSALS})
    @action(detail=True, methods=["post"], parser_classes=[JSONParser], filter_backends=[], pagination_class=None)
    def report(self, request, **_lookup):
        data = _valid(AuditProblemReportSerializer, request)
        ways = data.get("rectified_by_way", {})
        problem = services.audit_problem_report(
            problem=self.get_object(), actor=request.user, progress_note=data["progress_note"], ways=ways,
            **{name: data.get(name) for name in ("rules_made", "people_dealt_with", "matters_referred")})
        return Response(self.get_serializer(self.get_queryset().get(pk=problem.pk)).data)

    @extend_schema(summary="Staff: confirm (or take back) that the problem repeats an earlier year's (屡审屡犯)",
                   request=AuditRepeatSerializer, responses={200: AuditProblemSerializer, **REFUSALS})
    @action(detail=True, methods=["post"], url_path="confirm-repeat", parser_classes=[JSONParser],
            filter_backends=[], pagination_class=None)
    def confirm_repeat(self, request, **_lookup):
        data = _valid(AuditRepeatSerializer, request)
        earlier = None
        if data["repeat_of"] is not None:
            # Not scoped: only the staff may confirm, and they see every problem; the service refuses others first.
            earlier = AuditProblem.objects.filter(pk=data["repeat_of"]).first()
            if earlier is None:
                raise ValidationError({"repeat_of": [_("No such audit problem.")]})
        problem = services.audit_problem_confirm_repeat(problem=self.get_object(), actor=request.user,
                                                        repeat_of=earlier)
        return Response(self.get_serializer(self.get_queryset().get(pk=problem.pk)).data)

    @extend_schema(summary="Suggested repeats: the same unit's problems of the same type in earlier audit years",
                   responses={200: AuditProblemSerializer(many=True), 404: REFUSALS[404]})
    @action(detail=True, methods=["get"], url_path="suggested-repeats", filter_backends=[], pagination_class=None)
    def suggested_repeats(self, request, **_lookup):
        problem = self.get_object()
        found = audit_figures.suggested_repeats([problem]).get(problem.pk, [])
        visible = self.get_queryset().filter(pk__in=[candidate.pk for candidate in found])
        return Response(self.get_serializer(visible.order_by("-audit_year", "reference"), many=True).data)

    @extend_schema(summary="Import the audit office's list (the filled-in template): all rows or none",
                   description="The file is kept and imported by a task; the answer (202) is the import, at "
                               "`Location`, whose `state` goes from `queued` and `running` (with `progress`) to "
                               "`done` or `refused` (any wrong row refuses the whole file: `errors` gives each by "
                               "row and column). A problem already on the case (same audit year and reference) is "
                               "updated, never duplicated.",
                   request={"multipart/form-data": AuditImportSerializer},
                   responses={202: AuditImportJobSerializer, **REFUSALS}, parameters=[LOCATION])
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser],
            filter_backends=[], pagination_class=None)
    def import_list(self, request):
        data = _valid(AuditImportSerializer, request)
        case = selectors.cases_visible_to(request.user).filter(pk=data["case"]).first()
        if case is None:
            raise ValidationError({"case": [_("No such case is visible to you.")]})
        job = audit_import.start(case=case, actor=request.user, file=data["file"], then=tasks.run_audit_import.delay)
        job.refresh_from_db()  # run already, where tasks run in-process
        url = absolute_url(request, reverse("v1:audit-import-detail", args=[job.pk]))
        return Response(AuditImportJobSerializer(job, context={"request": request}).data, status=202,
                        headers={"Location": url})

    @extend_schema(summary="The import template (.xlsx)", responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None,
            content_negotiation_class=StoredMediaType)
    def template(self, request):
        return FileResponse(audit_import.template_workbook(), as_attachment=True, filename="审计查出问题清单模板.xlsx",
                            content_type=XLSX)


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _words(case) -> AuditReportText:
    return getattr(case, "audit_report_text", None) or AuditReportText(case=case)


class AuditReportSerializer(serializers.ModelSerializer):
    """The staff's words in the December report; the figures come from the ledger (`/audit-problems/`)."""

    case = serializers.IntegerField(source="pk", read_only=True)
    title = serializers.SerializerMethodField()
    introduction = serializers.SerializerMethodField()
    measures = serializers.SerializerMethodField()
    next_steps = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField(help_text="The report as Word, built from the ledger now.")

    class Meta:
        model = Case
        fields = ["case", "title", "introduction", "measures", "next_steps", "download"]

    def get_title(self, case) -> str | None:
        return audit_report.report_title(case.audit_year) if case.audit_year else None

    def get_introduction(self, case) -> str:
        return _words(case).introduction

    def get_measures(self, case) -> str:
        return _words(case).measures

    def get_next_steps(self, case) -> str:
        return _words(case).next_steps

    def get_download(self, case) -> str:
        return absolute_url(self.context.get("request"), reverse("v1:audit-report-download", args=[case.pk]))


class AuditReportTextSerializer(RejectUnknownFields, serializers.Serializer):
    introduction = serializers.CharField(allow_blank=True, max_length=20000)
    measures = serializers.CharField(allow_blank=True, max_length=20000)
    next_steps = serializers.CharField(allow_blank=True, max_length=20000)


class IssuedReportSerializer(serializers.Serializer):
    attachment = serializers.IntegerField(help_text="The file kept on the case.")
    name = serializers.CharField()
    download = serializers.URLField()


@extend_schema_view(
    list=extend_schema(summary="Audit rectification cases you may see, with the words of their December report"),
    retrieve=extend_schema(summary="The words of one case's December report (its figures are the ledger's)"),
    update=extend_schema(summary="Staff: write the report's own words (each save is a version in its history)",
                         request=AuditReportTextSerializer, responses={200: AuditReportSerializer, **REFUSALS}),
)
class AuditReportViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The December audit-rectification report of each audit rectification case (by the case's id): its words,
    its Word download and, when issued, the copy kept on the case."""

    serializer_class = AuditReportSerializer
    queryset = Case.objects.none()  # what the schema describes; each caller gets their own
    http_method_names = ["get", "put", "post", "head", "options"]

    def get_queryset(self):
        return (selectors.cases_visible_to(self.request.user).filter(kind=CaseKind.AUDIT_RECTIFICATION)
                .select_related("audit_report_text").order_by("pk")
                .annotate(audit_year=Max("items__audit__audit_year")))

    def update(self, request, *args, **kwargs):
        data = _valid(AuditReportTextSerializer, request)
        case = services.audit_report_text_save(case=self.get_object(), actor=request.user, **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=case.pk)).data)

    @extend_schema(summary="The report as Word, built from the ledger as it stands",
                   responses={(200, DOCX): OpenApiTypes.BINARY, 404: REFUSALS[404], 409: REFUSALS[409]})
    @action(detail=True, methods=["get"], pagination_class=None, content_negotiation_class=StoredMediaType)
    def download(self, request, pk=None):
        case = self.get_object()
        output = audit_report.build(case, as_of=selectors.today())
        name = f"{audit_report.report_title(audit_report.audit_year_of(case))}.docx"
        return FileResponse(output, as_attachment=True, filename=name, content_type=DOCX)

    @extend_schema(summary="Staff: issue the report — keep a copy, built now, as a file of the case", request=None,
                   responses={201: IssuedReportSerializer, **REFUSALS})
    @action(detail=True, methods=["post"], pagination_class=None)
    def issue(self, request, pk=None):
        attachment = services.audit_report_attach(case=self.get_object(), actor=request.user)
        url = reverse("v1:case-attachment-download", args=[attachment.case_id, attachment.pk])
        return Response({"attachment": attachment.pk, "name": attachment.original_name,
                         "download": absolute_url(request, url)}, status=201)


@extend_schema_view(list=extend_schema(summary="Your imports of audit lists, newest first"),
                    retrieve=extend_schema(summary="One import: its state, progress, and result or errors"))
class AuditImportViewSet(viewsets.ReadOnlyModelViewSet):
    """The imports you started (`POST /audit-problems/import/`)."""

    serializer_class = AuditImportJobSerializer
    queryset = AuditImport.objects.none()  # what the schema describes; each caller gets their own

    def get_queryset(self):
        return AuditImport.objects.filter(created_by=self.request.user).order_by("-created_at", "-pk")
