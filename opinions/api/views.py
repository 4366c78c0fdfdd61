"""/api/v1/: reads are viewsets over the selectors (visibility is the queryset: unseen is 404); every workflow step
is its own POST action, generated from the same registry as the case page's buttons, calling the same services."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from agencies.models import Body, Committee
from agencies.selectors import user_scope
from npc_tracker.api import absolute_url
from npc_tracker.api_filters import KnownParametersOnly
from npc_tracker.api_schema import AutoSchema
from npc_tracker.errors import NotAllowed
from npc_tracker.filters import TypedFilterBackend

from .. import dashboard, rules, selectors, services
from ..actions import CASE_ACTIONS, ITEM_ACTIONS
from ..filtersets import CaseFilterSet
from ..models import Attachment, CalendarDay, CaseDocument, CaseItem, Meeting, RuleSet
from ..permissions import can_create_cases, case_roles, item_roles
from ..responses import file_response
from ..uploads import ACCEPTED
from ..workflow import Action, ever_allowed, item_action_ever_allowed
from . import serializers as s
from .examples import CASE_EXAMPLE_SUMMARIES, CASE_EXAMPLES, CASE_MORE_EXAMPLES, ITEM_EXAMPLES
from .forms_bridge import serializer_from_form, takes_files
from .preconditions import case_etag, if_match

REFUSALS = {
    400: OpenApiResponse(description="Invalid input: the field and its message."),
    403: OpenApiResponse(description="You see the case but your role may never take this action."),
    404: OpenApiResponse(description="No such case, or not visible to you."),
    409: OpenApiResponse(description="Refused now (e.g. wrong status): a machine-readable `code` and `detail`."),
}


IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER,
    description="The case's ETag as you read it: the write is refused with 412 if the case changed since.")
ETAG = OpenApiParameter(
    "ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 201],
    description="The case's version; send it back in `If-Match` to write only if nobody changed the case meanwhile.")
LOCATION = OpenApiParameter(
    "Location", OpenApiTypes.URI, OpenApiParameter.HEADER, response=[201],
    description="Where the created object is (absolute).")
CASE_WRITE = [IF_MATCH, ETAG]
DOWNLOAD_TYPES = sorted({kind.content_type for kind in ACCEPTED.values()})


class StoredMediaType(DefaultContentNegotiation):
    """A download answers with the file's own media type, whatever `Accept` asks (a client asking for PDF would
    otherwise get 406); its refusals are JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def _role_refused() -> NotAllowed:
    """A role that may never take the step here: the domain's own refusal (code `not_allowed`), as services give."""
    return NotAllowed(_("Your role on this case does not allow this step."))


def _may_ever(user, case, workflow_actions) -> bool:
    roles = case_roles(user, case)
    approver, signer = rules.extension_approver_for(case), rules.signoff_by_for(case)
    return any(ever_allowed(a, roles, extension_approver=approver, signoff_by=signer) for a in workflow_actions)


class BodyViewSet(viewsets.ReadOnlyModelViewSet):
    """Government bodies (一府一委两院 and departments) cases are handed to."""

    queryset = Body.objects.order_by("pk")
    serializer_class = s.BodySerializer
    filterset_fields = ["kind", "is_active", "parent"]
    search_fields = ["name", "short_name"]
    ordering_fields = ["name"]


class CommitteeViewSet(viewsets.ReadOnlyModelViewSet):
    """The Standing Committee's special and working committees and its office."""

    queryset = Committee.objects.order_by("pk")
    serializer_class = s.CommitteeSerializer
    filterset_fields = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    ordering_fields = ["name"]


class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    """Standing Committee and Council of Chairpersons meetings, with the reports heard at each."""

    queryset = Meeting.objects.prefetch_related("heard_reports").order_by("-start_date", "pk")
    serializer_class = s.MeetingSerializer
    filterset_fields = ["kind", "term", "session"]
    ordering_fields = ["start_date"]


@extend_schema_view(
    list=extend_schema(summary="Cases visible to you, most urgent first (or as `ordering` says)"),
    retrieve=extend_schema(summary="One case with its items, reports, files, extensions and evaluations",
                           parameters=[ETAG]),
    create=extend_schema(summary="Create a draft (committee staff)", request=s.CaseDraftSerializer,
                         responses={201: s.CaseDetailSerializer, **REFUSALS}, parameters=[ETAG, LOCATION]),
    partial_update=extend_schema(summary="Edit a draft; `items`, when given, replace the draft's items in order",
                                 request=s.CaseDraftSerializer, responses={200: s.CaseDetailSerializer, **REFUSALS},
                                 parameters=CASE_WRITE),
)
class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    filterset_class = CaseFilterSet
    ordering_fields = ["due_date", "title", "status", "issued_date", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        cases = selectors.case_list(self.request.user)
        if self.action == "retrieve":
            cases = cases.prefetch_related("co_bodies")
        return selectors.by_urgency(cases)

    def get_serializer_class(self):
        return s.CaseListSerializer if self.action == "list" else s.CaseDetailSerializer

    def get_serializer_context(self):
        lang = "en" if (getattr(self.request, "LANGUAGE_CODE", "") or "").startswith("en") else "zh"
        return {**super().get_serializer_context(), "today": selectors.today(), "due_soon": selectors.due_soon(),
                "lang": lang}

    def _detail(self, case, status=200):
        case = self.get_queryset().get(pk=case.pk)
        headers = {"ETag": case_etag(case.pk)}
        if status == 201:
            headers["Location"] = absolute_url(self.request, reverse("v1:case-detail", kwargs={"pk": case.pk}))
        return Response(s.CaseDetailSerializer(case, context=self.get_serializer_context()).data, status=status,
                        headers=headers)

    def retrieve(self, request, pk=None):
        return self._detail(self.get_object())

    def create(self, request):
        if not can_create_cases(request.user):
            raise NotAllowed(_("Only committee staff can create cases."))
        draft = s.CaseDraftSerializer(data=request.data)
        draft.is_valid(raise_exception=True)
        return self._detail(self._save_draft(draft.validated_data), status=201)

    def partial_update(self, request, pk=None):
        case = self.get_object()
        if not _may_ever(request.user, case, {Action.EDIT_DRAFT}):
            raise _role_refused()
        draft = s.CaseDraftSerializer(data=request.data, partial=True)
        draft.is_valid(raise_exception=True)
        with if_match(request, case):
            self._save_draft(draft.validated_data, case)
        return self._detail(case)

    def _save_draft(self, data, case=None):
        data = dict(data)
        items = data.pop("items", None)
        if items is not None:
            items = [{**item, "pk": item.pop("id", None)} for item in items]
        return services.draft_save(actor=self.request.user, case=case, items=items, **data)

    def _page(self, rows, serializer_class):
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(serializer_class(page, many=True,
                                                            context=self.get_serializer_context()).data)

    @extend_schema(summary="Who did what, when and why (from the audit history), oldest first",
                   responses=s.TimelineEntrySerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[KnownParametersOnly])
    def timeline(self, request, pk=None):
        return self._page(selectors.case_timeline(self.get_object()), s.TimelineEntrySerializer)

    @extend_schema(summary="Add a file to the case, one of its items or one of its reports",
                   request={"multipart/form-data": s.AttachmentUploadSerializer},
                   responses={201: s.AttachmentSerializer, **REFUSALS}, parameters=[IF_MATCH, LOCATION])
    @action(detail=True, methods=["post"], url_path="attachments", parser_classes=[MultiPartParser],
            filter_backends=[KnownParametersOnly])
    def attachments(self, request, pk=None):
        case = self.get_object()
        upload = s.AttachmentUploadSerializer(data=request.data, case=case)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        with if_match(request, case):
            attachment = services.attachment_add(case=case, actor=request.user, file=data["file"],
                                                 item=data.get("item"), report=data.get("report"))
        shown = s.AttachmentSerializer(attachment, context=self.get_serializer_context()).data
        return Response(shown, status=201, headers={"Location": shown["download_url"]})

    @extend_schema(summary="Download one of the case's files, as uploaded, with the media type it was stored as "
                           "(whatever `Accept` asks)",
                   parameters=[OpenApiParameter("attachment_pk", OpenApiTypes.INT, OpenApiParameter.PATH)],
                   responses={**{(200, kind): OpenApiTypes.BINARY for kind in DOWNLOAD_TYPES},
                              404: OpenApiResponse(description="No such file on a case visible to you.")})
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_pk>[0-9]+)/download",
            filter_backends=[], pagination_class=None, content_negotiation_class=StoredMediaType)
    def attachment_download(self, request, pk=None, attachment_pk=None):
        attachment = selectors.belonging_to(self.get_object(), Attachment).filter(pk=attachment_pk).first()
        if attachment is None:
            raise NotFound
        return file_response(attachment)

    @extend_schema(summary="Download a document the office issued on the case (交办通知, 催办通知…), as Word",
                   parameters=[OpenApiParameter("document_pk", OpenApiTypes.INT, OpenApiParameter.PATH)],
                   responses={(200, CaseDocument.content_type): OpenApiTypes.BINARY,
                              404: OpenApiResponse(description="No such document on a case visible to you.")})
    @action(detail=True, methods=["get"], url_path=r"documents/(?P<document_pk>[0-9]+)/download",
            filter_backends=[], pagination_class=None, content_negotiation_class=StoredMediaType)
    def document_download(self, request, pk=None, document_pk=None):
        document = selectors.belonging_to(self.get_object(), CaseDocument).filter(pk=document_pk).first()
        if document is None:
            raise NotFound
        return file_response(document)


def _case_list(name, model, serializer_class):
    def run(self, request, pk=None):
        return self._page(selectors.case_rows(self.get_object(), model), serializer_class)

    run.__name__ = f"{name}_list"
    if name == "attachments":  # the same path takes uploads (POST)
        run = CaseViewSet.attachments.mapping.get(run)
    else:
        run = action(detail=True, methods=["get"], url_path=name, url_name=name,
                     filter_backends=[KnownParametersOnly])(run)
    return extend_schema(summary=f"All the case's {name}, page by page, in the detail's order",
                         responses=serializer_class(many=True))(run)


for _name, (_model, _serializer) in s.CASE_LISTS.items():
    setattr(CaseViewSet, f"{_name}_list", _case_list(_name, _model, _serializer))


def _english(text) -> str:
    """The schema is English whatever the language of the request that first imports this module (the labels are
    lazy, and these decorators run at import)."""
    with translation.override("en"):
        return str(text)


def _inputs(spec):
    """JSON always; multipart as well, with the files, where the action takes files. Returns (serializer for a
    request, parsers, the request body's schema)."""
    json_input = serializer_from_form(spec.form, files=False)
    if not takes_files(spec.form):
        return (lambda request: json_input), [JSONParser], json_input
    upload = serializer_from_form(spec.form)
    return ((lambda request: upload if request.content_type.startswith("multipart/") else json_input),
            [JSONParser, MultiPartParser], {"application/json": json_input, "multipart/form-data": upload})


def _case_action(spec):
    input_for, parsers, request_schema = _inputs(spec)

    def run(self, request, pk=None):
        case = self.get_object()
        if not _may_ever(request.user, case, spec.allowed_by):
            raise _role_refused()
        data = input_for(request)(data=request.data)
        data.is_valid(raise_exception=True)
        with if_match(request, case):
            spec.run(case, request.user, data.validated_data)
        return self._detail(case)

    run.__name__ = spec.slug.replace("-", "_")  # before @action: it names the route and the method from it
    run = action(detail=True, methods=["post"], url_path=spec.slug, parser_classes=parsers,
                 filter_backends=[])(run)
    return extend_schema(summary=_english(spec.label), description=_english(spec.description) or None,
                         request=request_schema,
                         responses={200: s.CaseDetailSerializer, **REFUSALS}, parameters=CASE_WRITE,
                         examples=[OpenApiExample(spec.slug, value=CASE_EXAMPLES[spec.slug],
                                                  summary=CASE_EXAMPLE_SUMMARIES.get(spec.slug),
                                                  request_only=True, media_type="application/json"),
                                   *(OpenApiExample(name, value=value, summary=summary, request_only=True,
                                                    media_type="application/json")
                                     for name, summary, value in CASE_MORE_EXAMPLES.get(spec.slug, ()))])(run)


def _item_action(spec):
    input_for, parsers, request_schema = _inputs(spec)

    def run(self, request, pk=None, item_pk=None):
        case = self.get_object()
        item = selectors.belonging_to(case, CaseItem).filter(pk=item_pk).first()
        if item is None:
            raise NotFound
        roles = item_roles(request.user, item)
        if not any(item_action_ever_allowed(a, roles) for a in spec.allowed_by):
            raise _role_refused()
        data = input_for(request)(data=request.data)
        data.is_valid(raise_exception=True)
        with if_match(request, case):
            spec.run(item, request.user, data.validated_data)
        item.refresh_from_db()
        return Response(s.ItemSerializer(item).data)

    run.__name__ = "item_" + spec.slug.replace("-", "_")
    run = action(detail=True, methods=["post"], url_path=rf"items/(?P<item_pk>[0-9]+)/{spec.slug}",
                 parser_classes=parsers, filter_backends=[])(run)
    return extend_schema(summary=f"Item: {_english(spec.label)}", description=_english(spec.description) or None,
                         request=request_schema,
                         responses={200: s.ItemSerializer, **REFUSALS},
                         parameters=[IF_MATCH, OpenApiParameter("item_pk", OpenApiTypes.INT, OpenApiParameter.PATH)],
                         examples=[OpenApiExample(spec.slug, value=ITEM_EXAMPLES[spec.slug],
                                                  request_only=True, media_type="application/json")])(run)


for _spec in CASE_ACTIONS:
    setattr(CaseViewSet, _spec.slug.replace("-", "_"), _case_action(_spec))
for _spec in ITEM_ACTIONS:
    setattr(CaseViewSet, "item_" + _spec.slug.replace("-", "_"), _item_action(_spec))


class AdminWritable(mixins.UpdateModelMixin):
    """Everyone signed in reads; administrators correct through the service (others get its 403)."""

    http_method_names = ["get", "patch", "head", "options"]

    def perform_update(self, serializer):
        serializer.instance = self.update_service(serializer.instance, self.request.user, serializer.validated_data)


@extend_schema_view(partial_update=extend_schema(summary="Change a rule set (administrators); open cases of this "
                                                         "kind get their reminders re-planned"))
class RuleSetViewSet(AdminWritable, viewsets.ReadOnlyModelViewSet):
    """Follow-up rules per case kind (deadline, anchor, reminders, escalation)."""

    queryset = RuleSet.objects.order_by("pk")
    serializer_class = s.RuleSetSerializer
    filterset_fields = ["jurisdiction", "case_kind"]

    @staticmethod
    def update_service(rule_set, actor, data):
        return services.rule_set_update(rule_set=rule_set, actor=actor, **data)


@extend_schema_view(partial_update=extend_schema(summary="Correct a day (administrators)"))
class CalendarDayViewSet(AdminWritable, viewsets.ReadOnlyModelViewSet):
    """The working-day calendar (rest days, 调休 working days)."""

    queryset = CalendarDay.objects.order_by("date")
    serializer_class = s.CalendarDaySerializer
    http_method_names = [*AdminWritable.http_method_names, "post"]  # POST only for /years/
    filterset_fields = {"date": ["gte", "lte"], "is_workday": ["exact"]}
    ordering_fields = ["date"]

    @staticmethod
    def update_service(day, actor, data):
        current = {"is_workday": day.is_workday, "note": day.note}
        return services.calendar_day_update(day=day, actor=actor, **{**current, **data})

    @extend_schema(summary="Enter a whole year (administrators): the State Council's schedule, or weekends only as "
                           "provisional; over a provisional year, no `replace` is needed and the due dates counted on "
                           "it are recomputed",
                   request=s.CalendarYearInput, responses={201: s.CalendarYearEntered, **REFUSALS})
    @action(detail=False, methods=["post"], url_path="years", filter_backends=[], pagination_class=None)
    def years(self, request):
        if not user_scope(request.user).is_admin:
            raise NotAllowed(_("Only administrators change the rules and the calendar."))
        data = s.CalendarYearInput(data=request.data)
        data.is_valid(raise_exception=True)
        year = data.validated_data
        entered = services.calendar_enter_year(
            year=year["year"], actor=request.user, provisional=year["provisional"], replace=year["replace"],
            rest_days={day["date"]: day["name"] for day in year["holidays"]},
            make_up_workdays={day["date"]: day["name"] for day in year["make_up_workdays"]})
        return Response(s.CalendarYearEntered({"year": year["year"], **vars(entered)}).data, status=201)


class _OneObjectSchema(AutoSchema):
    """A list route that answers one object (the figures), not a page of rows, yet takes the list's filters."""

    def _is_list_view(self, serializer=None):
        return False

    def get_filter_backends(self):
        return getattr(self.view, "filter_backends", [])


class DashboardViewSet(viewsets.GenericViewSet):
    """Leadership's figures over the cases you see, narrowed by the same filters as the case list."""

    schema = _OneObjectSchema()
    filterset_class = CaseFilterSet
    pagination_class = None
    filter_backends = [KnownParametersOnly, TypedFilterBackend]
    extra_query_params = ("league_sort",)

    def get_queryset(self):
        return selectors.cases_visible_to(self.request.user)

    @extend_schema(summary="Headline figures, the league table of bodies, breakdowns, trend and overdue board",
                   parameters=[OpenApiParameter("league_sort", enum=dashboard.LEAGUE_SORTS,
                                                description="The league table's order (worst first).")],
                   responses=s.DashboardSerializer)
    def list(self, request):
        cases = self.filter_queryset(self.get_queryset())
        board = dashboard.build(cases, selectors.today(), selectors.due_soon(),
                                request.query_params.get("league_sort", "overdue"))
        return Response(s.DashboardSerializer(board).data)
