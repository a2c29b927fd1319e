"""The one way a write says no: ``Refused`` carries the reason the user is shown.

Services raise ``Refused`` (never ``PermissionDenied`` or a bare ``ValueError``) when the
rules, the state or the actor forbid a write; the view shows ``reason`` beside the form or
as a message, and nothing was written. A database constraint that fires anyway becomes a
``Refused`` too, through ``refused_by_database``, so a race lost at the last line still
reads as a sentence, not a 500.
"""

from django.db import IntegrityError
from django.utils.functional import Promise
from django.utils.translation import gettext as _


class Refused(Exception):
    """A write the rules do not allow now; ``reason`` is shown to the user as it is."""

    def __init__(self, reason: str | Promise, *, field: str | None = None):
        super().__init__(reason)
        self.reason = str(reason)
        # The form field the refusal is about, when there is one (else the whole form).
        self.field = field


def violated_constraint(error: IntegrityError) -> str | None:
    """The name of the database constraint behind an ``IntegrityError`` (PostgreSQL reports it)."""
    return getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)


def refused_by_database(error: IntegrityError) -> Refused:
    """A refusal for a constraint no check before the write foresaw: honest, and names the rule."""
    return Refused(
        _(
            "The database refused this change (rule “%(rule)s”), so nothing was saved. "
            "Please look at the page again; if it happens again, tell the system administrator."
        )
        % {"rule": violated_constraint(error) or "?"}
    )


def stale(obj) -> Refused:
    """A click made on a page that no longer shows the object's state (two people at once)."""
    return Refused(
        _(
            "This %(thing)s changed while you were looking at it: it is now “%(state)s”. "
            "Nothing was done; please look at it again."
        )
        % {"thing": obj._meta.verbose_name, "state": obj.get_state_display()}
    )
