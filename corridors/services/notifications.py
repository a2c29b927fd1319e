"""Telling people: one inbox row per recipient, and an e-mail to those with an address, sent by the
job worker once the transaction commits (a refused or rolled-back step sends nothing).

Any app may use ``notify``; the inbox (``inbox:list``) shows ``verb_label`` as the heading
(a corridors workflow step's label, or the verb), the message below it, and its "Open" button
follows ``url``. Every message the system writes passes its heading, lines and e-mail subject
as ``common.systemtext.Text`` (source text + parameters): the inbox renders them in the
reader's language and each e-mail in its recipient's (``NoticePreference.language``, else
``settings.LANGUAGE_CODE``). What a person wrote (a note, a reason, a resident's message) is
a parameter or a plain line, shown as written. E-mails carry the full address of the page
(``settings.SITE_URL`` + ``url``). Who is told of a corridors step is decided by its
workflow table and ``corridors.notifications``.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from common.refusals import Refused
from common.systemtext import Text
from corridors.channels import channels
from corridors.inbox_count import inbox_changed
from corridors.models import Application, NoticePreference, Notification, User

logger = logging.getLogger(__name__)

VERB_LENGTH = Notification._meta.get_field("verb").max_length


def absolute_url(path: str) -> str:
    """A site path as a full link for an e-mail (``SITE_URL`` in the settings); full links pass as they are."""
    if not path or "://" in path:
        return path
    return settings.SITE_URL.rstrip("/") + path


def _stored(value):
    return value.stored() if isinstance(value, Text) else None


def notify(
    *,
    recipients: Iterable[User],
    actor: User | None,
    verb,
    message="",
    url: str = "",
    application: Application | None = None,
    subject="",
    body="",
    key: str = "",
) -> list[Notification]:
    """Put one inbox message per recipient (never the actor) and hand them to the channels.

    ``verb``, ``subject`` and each line of ``message`` may be ``common.systemtext.Text``: the
    message is then stored as source texts and parameters (``key`` names its kind) and shown
    in each reader's language; plain strings are shown as written. ``subject`` and ``body``
    are the e-mail's (default: the verb and the message); the full link to ``url`` is added
    below the body. Call it inside the step's transaction: the channels' jobs are part of it.
    """
    actor_pk = actor.pk if actor is not None else None
    people = list({user.pk: user for user in recipients if user.pk != actor_pk}.values())
    if not people:
        return []
    lines = message if isinstance(message, list) else [message] if isinstance(message, Text) else None
    parts = {}
    if _stored(verb):
        parts["verb"] = _stored(verb)
    if lines:
        parts["lines"] = [line.stored() if isinstance(line, Text) else line for line in lines]
    with translation.override(settings.LANGUAGE_CODE):
        verb_text = str(verb)
        message_text = "\n".join(str(line) for line in lines) if lines else message
    sent = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            application=application,
            actor=actor,
            verb=verb_text[:VERB_LENGTH],
            message=message_text,
            url=url,
            key=key,
            parts=parts,
        )
        for user in people
    )
    inbox_changed(*(user.pk for user in people))  # bulk_create sends no signal
    preferences = {p.user_id: p for p in NoticePreference.objects.filter(user__in=people)}
    for notification in sent:
        notification.recipient._notice_preference = preferences.get(notification.recipient_id)  # type: ignore[attr-defined]
    subject_parts = (_stored(subject) or subject) if subject else None
    body_parts = (
        ([_stored(body) or body] if not isinstance(body, list) else [_stored(b) or b for b in body]) if body else None
    )
    for channel in channels():
        channel.deliver(sent, subject_parts=subject_parts, body_parts=body_parts)
    return sent


def notification_mark_read(*, recipient: User, notification_id: int | None = None) -> int:
    """Mark one (or, without an id, every) unread notification of the recipient as read."""
    unread = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    marked = unread.update(read_at=timezone.now())
    if marked:
        inbox_changed(recipient.pk)  # update sends no signal
    return marked


def notice_preference_set(*, user: User, by_email: bool, language: str) -> NoticePreference:
    """Record how ``user`` wants to be told (inbox only or also e-mail) and e-mails' language."""
    if language and language not in dict(settings.LANGUAGES):
        raise Refused(_("Please choose a language from the list."))
    with transaction.atomic():
        preference, _created = NoticePreference.objects.select_for_update().get_or_create(user=user)
        preference.by_email, preference.language = by_email, language
        preference.save(update_fields=["by_email", "language"])
    return preference
