from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from agencies.api import PersonViewSet
from notifications.api import InboxViewSet
from npc_tracker.api_schema_view import SchemaView
from opinions.api import views as opinions
from opinions.api.audit import AuditImportViewSet, AuditProblemViewSet, AuditReportViewSet

router = DefaultRouter()
router.register("bodies", opinions.BodyViewSet)
router.register("committees", opinions.CommitteeViewSet)
router.register("meetings", opinions.MeetingViewSet)
router.register("cases", opinions.CaseViewSet, basename="case")
router.register("rule-sets", opinions.RuleSetViewSet)
router.register("calendar", opinions.CalendarDayViewSet)
router.register("inbox", InboxViewSet, basename="inbox")
router.register("people", PersonViewSet, basename="person")
router.register("dashboard", opinions.DashboardViewSet, basename="dashboard")
router.register("audit-problems", AuditProblemViewSet, basename="audit-problem")
router.register("audit-reports", AuditReportViewSet, basename="audit-report")
router.register("audit-imports", AuditImportViewSet, basename="audit-import")

urlpatterns = [
    path("v1/", include((router.urls, "api"), namespace="v1")),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file (?script=), so the page needs no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # ReDoc writes its styles as <style> elements at run time and searches in a worker made from a blob: only this
    # page, which shows nothing but the schema, allows those.
    path("redoc/", csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]})(
        SpectacularRedocView.as_view(url_name="api-schema")), name="api-redoc"),
]
