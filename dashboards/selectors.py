"""Whose figures a reader may see: a set of streets."""

from corridors.models import Neighbourhood, Street
from corridors.selectors import scope_of


def _streets_for(user):
    """The streets whose figures ``user`` may read: those the access layer lets them view
    (``Scope.visible_streets``, as ``corridors.selectors.streets_for_user``: their own street as staff, every street of
    their district or city as a district or city user, every street for the superuser), and
    their own street as a finance approver (the street's leadership)."""
    scope = scope_of(user)
    return Street.objects.filter(pk__in=scope.visible_streets | scope.finance_streets)


def streets_for(user):
    return _streets_for(user).order_by("district", "name")


def neighbourhoods_for(user):
    return (
        Neighbourhood.objects.filter(street__in=_streets_for(user))
        .select_related("street")
        .order_by("street__district", "street__name", "name")
    )
