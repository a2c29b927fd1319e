"""Telling people: one inbox row per recipient, and an e-mail to those with an address, sent by the
job worker once the transaction commits (a refused or rolled-back step sends nothing).

Any app may use ``notify``; the inbox (``inbox:list``) shows ``verb_label`` as the heading
(a corridors workflow step's label, or the verb itself, so other apps pass a label in the
site's language), ``message`` below it, and its "Open" button follows ``url``. E-mails carry
the full address of that page (``settings.SITE_URL`` + ``url``). Who is told of a corridors
step is decided by its workflow table and ``corridors.notifications``.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from corridors.models import Application, Notification, User
from jobs.tasks import send_email_later

logger = logging.getLogger(__name__)

VERB_LENGTH = Notification._meta.get_field("verb").max_length


def absolute_url(path: str) -> str:
    """A site path as a full link for an e-mail (``SITE_URL`` in the settings); full links pass as they are."""
    if not path or "://" in path:
        return path
    return settings.SITE_URL.rstrip("/") + path


def notify(
    *,
    recipients: Iterable[User],
    actor: User | None,
    verb: str,
    message: str = "",
    url: str = "",
    application: Application | None = None,
    subject: str = "",
    body: str = "",
) -> list[Notification]:
    """Put one inbox message per recipient (never the actor) and e-mail those with an address after commit.

    ``subject`` and ``body`` are the e-mail's (default: the verb and the message); the full
    link to ``url`` is added below the body. Call it inside the step's transaction.
    """
    actor_pk = actor.pk if actor is not None else None
    people = list({user.pk: user for user in recipients if user.pk != actor_pk}.values())
    if not people:
        return []
    sent = Notification.objects.bulk_create(
        Notification(
            recipient=user, application=application, actor=actor, verb=verb[:VERB_LENGTH], message=message, url=url
        )
        for user in people
    )
    addresses = [user.email for user in people if user.email]
    if addresses:
        text = "\n".join(part for part in (body or message, absolute_url(url)) if part)
        # One job per address, in the step's transaction: sent by the worker once it commits
        # (and retried while the mail server is away); a rolled-back step sends nothing.
        for address in addresses:
            send_email_later(subject=subject or verb, body=text, to=[address])
    return sent


def notification_mark_read(*, recipient: User, notification_id: int | None = None) -> int:
    """Mark one (or, without an id, every) unread notification of the recipient as read."""
    unread = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())
