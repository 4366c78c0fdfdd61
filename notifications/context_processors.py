from .services import unread_count


def inbox(request):
    """The navbar's unread count, computed only when a template asks for it."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"inbox_unread": lambda: unread_count(request.user)}
