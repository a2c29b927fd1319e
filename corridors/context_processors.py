"""Values the staff layout needs on every page of the corridors app."""

from django.utils.functional import SimpleLazyObject

from corridors.inbox_count import unread_count


def inbox(request):
    """The unread notification count for the header; read (from the cache, see
    ``corridors.inbox_count``) only if a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_unread": SimpleLazyObject(lambda: unread_count(user))}
