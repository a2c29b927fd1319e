"""A gallery work's workflow (DESIGN.md §4: "Leaders publish; staff can hide"), as one table.

    draft ⇄ published          (the group's leader publishes and takes back)
    draft | published → hidden (street staff or the neighbourhood's committee, with a reason;
                                the leader is told why)
    hidden → published, or draft if it was never published (the same moderators show it again)

Each step is carried out by one service function in ``corridors.services.gallery``
(``work_publish``, ``work_unpublish``, ``work_hide``, ``work_unhide``) that locks the work,
checks this table and writes a ``WorkTransition``. Roles are relative to the work's
building group. Street staff may publish too, for a group without a leader of its own (the
demo does); the gallery pages offer publishing to the leader only.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.workflows import Transition, Workflow
from corridors.models.people import Role


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden by staff")


LEADER, COMMITTEE, STREET = Role.LEADER, Role.COMMITTEE, Role.STREET_STAFF
MODERATORS = frozenset({STREET, COMMITTEE})

WORK = Workflow(
    "work",
    State,
    [
        Transition("publish", _("Publish"), frozenset({State.DRAFT}), State.PUBLISHED,
                   frozenset({LEADER, STREET})),
        Transition("unpublish", _("Unpublish"), frozenset({State.PUBLISHED}), State.DRAFT, frozenset({LEADER}),
                   style="outline-secondary"),
        Transition("hide", _("Hide"), frozenset({State.DRAFT, State.PUBLISHED}), State.HIDDEN, MODERATORS,
                   reason_required=True, notify=frozenset({LEADER}), style="outline-danger"),
        # Shown again where it was: published if it had been, else a draft.
        Transition("unhide", _("Show again"), frozenset({State.HIDDEN}), State.PUBLISHED, MODERATORS,
                   style="outline-success"),
        Transition("unhide_to_draft", _("Show again"), frozenset({State.HIDDEN}), State.DRAFT, MODERATORS,
                   style="outline-success"),
    ],
    role_labels=dict(Role.choices),
)  # fmt: skip


def label_for(name: str) -> str:
    return str(WORK[name].label) if name in WORK else name
