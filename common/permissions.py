"""Page-level permissions in one style: ``rules`` predicates that say why they refuse.

Each app declares its permissions in ``<app>/rules.py`` with ``add_perm(name, predicate,
reason)``. Views call ``require(user, name, obj)``; a refusal is a 403 whose page shows the
reason (templates/403.html), and templates ask ``perms.<app>.<name>`` as usual. What a user
cannot *see* at all is not a permission but a scope: the ``*_for_user`` querysets in each
app's ``selectors`` answer 404 for it, so a guessed id reveals nothing.
"""

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

_REASONS: dict = {}


def add_perm(name: str, predicate, reason) -> None:
    """Declare permission ``name`` (``app.action``) with the sentence shown when it is refused."""
    rules.add_perm(name, predicate)
    _REASONS[name] = reason


def reason_for(name: str) -> str:
    reason = _REASONS.get(name)
    if reason is None:
        return _(
            "Your account does not have the role this page needs. If you think it should, please ask the street office."
        )
    return str(reason)


def require(user, name: str, obj=None) -> None:
    """Raise a 403 that says why, unless ``user`` holds permission ``name`` (on ``obj``)."""
    if not user.has_perm(name, obj):
        raise PermissionDenied(reason_for(name))


def refuse(reason) -> PermissionDenied:
    """A 403 with a reason decided in the view itself (rare: prefer a declared permission)."""
    return PermissionDenied(str(reason))
