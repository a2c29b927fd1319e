"""A campaign's public notice (公示), as one table.

    unpublished → published ⇄ withdrawn

Until published only the campaign's managers preview the notice (everyone else: 404);
once published anyone with the link reads it (counts and percentages, nothing personal).
Publishing and withdrawing write a ``NoticeTransition`` (who and when). Roles are relative
to the campaign's building: the office staff of its street and the residents' committee
of its neighbourhood (the managers). Nobody is told: the notice is for the public.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.workflows import Transition, Workflow
from corridors.models import Role


class NoticeState(models.TextChoices):
    UNPUBLISHED = "unpublished", _("Not published")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


MANAGERS = frozenset({Role.STREET_STAFF, Role.COMMITTEE})

NOTICE = Workflow(
    "notice",
    NoticeState,
    [
        Transition("publish", _("Publish the notice"), frozenset({NoticeState.UNPUBLISHED, NoticeState.WITHDRAWN}),
                   NoticeState.PUBLISHED, MANAGERS),
        Transition("withdraw", _("Withdraw the notice"), frozenset({NoticeState.PUBLISHED}), NoticeState.WITHDRAWN,
                   MANAGERS, style="outline-danger"),
    ],
)  # fmt: skip
