"""Whose figures a reader may see: a set of streets."""

from corridors.models import Neighbourhood, Street
from corridors.selectors import scope_of


def _streets_for(user):
    """The streets whose figures ``user`` may read: street office staff and finance approvers
    (the street's leadership) their own street; the superuser every street.

    TEMPORARY (issue 15): at merge, replace with ``corridors.selectors.streets_for_user`` from
    h15a's branch (which adds district users reading all their district's streets). Everything
    else in this app is written as figures over a set of streets, so that is the one change.
    """
    scope = scope_of(user)
    return Street.objects.filter(pk__in=scope.staff_streets | scope.finance_streets)


def streets_for(user):
    return _streets_for(user).order_by("district", "name")


def neighbourhoods_for(user):
    return (
        Neighbourhood.objects.filter(street__in=_streets_for(user))
        .select_related("street")
        .order_by("street__district", "street__name", "name")
    )
