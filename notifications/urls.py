from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read/", views.mark_read, name="mark_read"),
    path("channels/", views.channel_list, name="channels"),
    path("channels/<int:pk>/<slug:action>/", views.channel_action, name="channel_action"),
]
