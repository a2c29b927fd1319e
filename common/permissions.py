"""Page-level permissions in one style: ``rules`` predicates that say why they refuse.

Each app declares its permissions in ``<app>/rules.py`` with ``add_perm(name, predicate,
reason)``. Views call ``require(user, name, obj)``; a refusal is a 403 whose page shows the
reason (templates/403.html), and templates ask ``perms.<app>.<name>`` as usual. What a user
cannot *see* at all is not a permission but a scope: the ``*_for_user`` querysets in each
app's ``selectors`` answer 404 for it, so a guessed id reveals nothing.
"""

import functools

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


@functools.cache
def model_permission_names() -> frozenset[str]:
    """Every model permission Django creates (``app.add_model`` … and each model's
    ``Meta.permissions``), from the models alone."""
    from django.apps import apps
    from django.contrib.auth.management import _get_all_permissions

    return frozenset(
        f"{model._meta.app_label}.{codename}"
        for model in apps.get_models()
        for codename, _name in _get_all_permissions(model._meta)
    )


def has_declared_perm(user, name: str, obj=None) -> bool:
    """``user.has_perm(name, obj)``, asking only the rules for a permission declared here.

    Django's ``ModelBackend`` would otherwise look up the user's model permissions (two
    queries) whenever a rule says no; for a declared name that is no model permission that
    lookup cannot say yes: the same answer, without the database. Other names (and the
    declared ones that are also model permissions) go to ``user.has_perm`` as usual.
    """
    if name not in _REASONS or name in model_permission_names():
        return user.has_perm(name, obj)
    if user.is_active and user.is_superuser:
        return True  # as User.has_perm
    return rules.has_perm(name, user, obj)


class _DeclaredPerms:
    """``perms.<app>`` in templates: each answer asked once per page."""

    def __init__(self, wrapper, app_label: str):
        self.wrapper, self.app_label = wrapper, app_label

    def __getitem__(self, action: str) -> bool:
        return self.wrapper.has(f"{self.app_label}.{action}")

    def __iter__(self):
        raise TypeError("not iterable")  # as Django's PermLookupDict: no 'in' by iteration

    def __bool__(self):
        return self.wrapper.user.has_module_perms(self.app_label)


class DeclaredPermWrapper:
    """Templates' ``perms``, as Django's ``PermWrapper`` but through ``has_declared_perm``
    and remembering each answer for the page (the staff menu asks about fifteen)."""

    def __init__(self, user):
        self.user = user
        self._answers: dict[str, bool] = {}

    def has(self, name: str) -> bool:
        if name not in self._answers:
            self._answers[name] = has_declared_perm(self.user, name)
        return self._answers[name]

    def __getitem__(self, app_label: str) -> _DeclaredPerms:
        return _DeclaredPerms(self, app_label)

    def __iter__(self):
        raise TypeError("not iterable")

    def __contains__(self, name: str) -> bool:
        if "." not in name:
            return bool(self[name])
        return self.has(name)
