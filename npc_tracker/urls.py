from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from agencies import views as agencies_views

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", include("opinions.urls")),
    path("inbox/", include("notifications.urls")),
    path("public/", include("public.urls")),
    path("api/", include("npc_tracker.api_urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/tokens/", agencies_views.token_list, name="token_list"),
    path("accounts/tokens/<str:token_key>/revoke/", agencies_views.token_revoke, name="token_revoke"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

handler403 = "npc_tracker.views.forbidden"
handler404 = "npc_tracker.views.not_found"
handler400 = "npc_tracker.views.bad_request"
handler500 = "npc_tracker.views.server_error"
