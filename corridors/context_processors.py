"""Values the staff layout needs on every page of the corridors app."""

from django.utils.functional import SimpleLazyObject

from corridors.selectors import notifications_for_user


def inbox(request):
    """The unread notification count for the header; counted only if a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_unread": SimpleLazyObject(lambda: notifications_for_user(user).filter(read_at__isnull=True).count())}
