"""A resident writes to a corridor's leader from the public page (联系楼组长).

The message goes to the leaders' inboxes (and e-mail, if they gave one); the resident
never sees a leader's number or name. Rate-limited through Django's cache (shared by every
node): a few messages per address per hour, and a cap per corridor per day.
"""

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.refusals import Refused
from common.systemtext import Text
from corridors.models import BuildingGroup, Role, User
from corridors.services.notifications import notify

MESSAGE_MAX = 500
PER_ADDRESS_PER_HOUR = 3
PER_GROUP_PER_DAY = 20


def group_leaders(group: BuildingGroup):
    return User.objects.filter(is_active=True, roles__role=Role.LEADER, roles__building_group_id=group.pk).distinct()


def _take(key: str, limit: int, timeout: int) -> bool:
    """Count one use of ``key``; False once ``limit`` uses were counted within ``timeout`` seconds."""
    cache.add(key, 0, timeout=timeout)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
        used = 1
    return used <= limit


def contact_leader(*, group: BuildingGroup, name: str, reply_to: str, message: str, address: str) -> int:
    """Put the resident's message in the inbox of each leader of ``group``; returns how many were told."""
    name = " ".join((name or "").split())[:50]
    reply_to = " ".join((reply_to or "").split())[:100]
    message = (message or "").strip()
    if not message:
        raise Refused(_("Please write your message."), field="message")
    if len(message) > MESSAGE_MAX:
        raise Refused(_("Please keep the message to %(count)s characters.") % {"count": MESSAGE_MAX}, field="message")
    leaders = list(group_leaders(group))
    if not leaders:
        raise Refused(_("This corridor has no leader on the site yet; please call the residents' committee."))
    if not _take(f"contact:addr:{address}", PER_ADDRESS_PER_HOUR, 3600):
        raise Refused(_("You have sent several messages this hour; please try again later or call the committee."))
    if not _take(f"contact:group:{group.pk}", PER_GROUP_PER_DAY, 86400):
        raise Refused(_("This corridor has received many messages today; please try again tomorrow."))
    # The resident's words as written; the words around them in each leader's language.
    lines: list = [message]
    if name:
        lines.append(Text(gettext_lazy("From: %(name)s"), name=name))
    if reply_to:
        lines.append(Text(gettext_lazy("Reply to: %(reply_to)s"), reply_to=reply_to))
    with transaction.atomic():
        sent = notify(
            recipients=leaders,
            actor=None,
            verb=Text(gettext_lazy("A resident wrote to you about %(group)s"), group=group),
            message=lines,
            url=reverse("gallery:group", args=[group.pk]),
            key="corridors.contact",
        )
    return len(sent)
