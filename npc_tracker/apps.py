from django.apps import AppConfig


class NpcTrackerConfig(AppConfig):
    """The project package as an app, so its management commands (serve) and static files are found."""

    name = "npc_tracker"
