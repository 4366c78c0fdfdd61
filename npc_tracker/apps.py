from django.apps import AppConfig


class NpcTrackerConfig(AppConfig):
    """The project package as an app, so its management commands (serve, healthcheck), static files and its one
    infrastructure model (the heartbeat) are found."""

    name = "npc_tracker"
