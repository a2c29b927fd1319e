"""The header's unread-message count, kept in Django's cache per reader.

Every staff page shows it, so it is not counted on every page: the count is stored under
the reader's inbox generation (``common.pagecache``, kind ``inbox``), which is bumped (at
once and again on commit) whenever a message for that reader is created, marked read or
deleted. A new message therefore shows at once, on every node; a generation that was
evicted gets a new value, so an old count is never read again.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from common.pagecache import _generation_key, bump, generations
from corridors.models import Notification

KIND = "inbox"
TIMEOUT = 3600


def unread_count(user) -> int:
    """How many of ``user``'s messages are unread (one query only when not cached).

    The count is stored with the generation it was counted under, and both are read in one
    ``get_many``: one round trip to the cache per page."""
    key = f"inbox-unread:v2:{user.pk}"
    found = cache.get_many([key, _generation_key(KIND, user.pk)])
    (generation,) = generations([(KIND, user.pk)], found)
    stored = found.get(key)
    if stored is not None and stored[0] == generation:
        return stored[1]
    count = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()
    cache.set(key, (generation, count), timeout=TIMEOUT)
    return count


def inbox_changed(*user_ids) -> None:
    """Retire the cached counts of these readers (their messages were added, read or deleted).
    ``bulk_create`` and ``update`` send no signal: their callers call this."""
    bump(KIND, *sorted(set(user_ids)))


def _notification_changed(sender, instance, **kwargs) -> None:
    inbox_changed(instance.recipient_id)


def connect() -> None:
    post_save.connect(_notification_changed, sender=Notification, dispatch_uid="inbox_count_save")
    post_delete.connect(_notification_changed, sender=Notification, dispatch_uid="inbox_count_delete")
