from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from notifications.api import InboxViewSet
from opinions.api import views as opinions

router = DefaultRouter()
router.register("bodies", opinions.BodyViewSet)
router.register("committees", opinions.CommitteeViewSet)
router.register("meetings", opinions.MeetingViewSet)
router.register("cases", opinions.CaseViewSet, basename="case")
router.register("rule-sets", opinions.RuleSetViewSet)
router.register("calendar", opinions.CalendarDayViewSet)
router.register("inbox", InboxViewSet, basename="inbox")
router.register("dashboard", opinions.DashboardViewSet, basename="dashboard")

urlpatterns = [
    path("v1/", include((router.urls, "api"), namespace="v1")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
