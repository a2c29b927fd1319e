"""The bounded counts of the two longest staff lists, kept in Django's cache between views.

A district reader's building groups and applications count up to 5,001 rows through the join
from a group to its street (group, building, compound, neighbourhood) on every view: 5–35 ms
of SQL at district scale, most of those pages' SQL. The count depends only on the reader's
scope and the list's filters, and changes only when a row it reads is saved or deleted, so it
is kept in the cache (Redis on a real install: every node shares it) under a key made of the
list, the scope, the query string (less the page and the sort) and a **generation**: one
integer that every save or delete of an application, a place, a role assignment or a
programme year raises, at once and again when the transaction commits (``connect``, from
``CorridorsConfig.ready``). A change is therefore counted in the next view, by anyone; the
rows of the page are always read afresh. Writes that skip signals (``QuerySet.update``, raw
SQL, a restore) are counted again within ``TIMEOUT``.
"""

import hashlib
import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

GENERATION = "lists:generation"
TIMEOUT = 300
# Query-string parameters that change the page shown, not the rows counted.
NOT_FILTERS = frozenset({"page", "sort"})


def _fresh() -> int:
    # A generation that lost its key (evicted, flushed) starts again from the clock, never
    # from a number whose counts may still be in the cache.
    return int(time.time() * 1000)


def generation() -> int:
    value = cache.get(GENERATION)
    if value is None:
        cache.add(GENERATION, _fresh(), timeout=None)
        value = cache.get(GENERATION) or _fresh()
    return value


def _raise() -> None:
    try:
        cache.incr(GENERATION)
    except ValueError:  # not in the cache: a new start retires every count kept so far
        cache.add(GENERATION, _fresh(), timeout=None)


def changed(**_kwargs) -> None:
    """A row the counts read was saved or deleted: retire every cached count now (other
    transactions) and again on commit (a view that counted in between saw the old rows)."""
    _raise()
    transaction.on_commit(_raise)


def connect() -> None:
    from corridors.models import (
        Application,
        Building,
        BuildingGroup,
        Compound,
        Neighbourhood,
        ProgrammeYear,
        RoleAssignment,
        Street,
    )

    for model in (Application, Building, BuildingGroup, Compound, Neighbourhood, ProgrammeYear, RoleAssignment, Street):
        post_save.connect(changed, sender=model, dispatch_uid=f"list_counts_save_{model.__name__}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"list_counts_delete_{model.__name__}")


def count_key(name: str, scope, query) -> str:
    """The cache key of list ``name``'s count for a reader's ``scope`` (``corridors.selectors.Scope``)
    and request ``query`` (``request.GET``)."""
    scope_part = repr(tuple(sorted(getattr(scope, f)) for f in sorted(scope.__dataclass_fields__)))
    filters = sorted((k, v) for k, values in query.lists() if k not in NOT_FILTERS for v in values)
    digest = hashlib.sha256(repr((scope_part, filters)).encode()).hexdigest()[:32]
    return f"lists:count:{name}:{generation()}:{digest}"


class CachedCount:
    """The keys of a list to page through (a queryset), whose bounded count comes from the cache:
    ``paginate(CachedCount(keys, count_key(...)), request, count_limit=…)``.

    ``common.listing.BoundedPaginator`` counts ``object_list.order_by()[:limit].count()`` and
    slices the page from ``object_list``; both are answered here (the count from the cache or,
    on a miss, by the same bounded ``COUNT(*)``), and so are a plain ``count()`` and ``len()``.
    """

    ordered = True

    def __init__(self, rows, key: str):
        self.rows = rows
        self.key = key

    def counted(self, limit: int | None) -> int:
        key = f"{self.key}:{limit}"
        found = cache.get(key)
        if found is None:
            rows = self.rows.order_by()
            found = (rows[:limit] if limit is not None else rows).count()
            cache.set(key, found, TIMEOUT)
        return found

    def order_by(self, *fields):
        if fields:
            return CachedCount(self.rows.order_by(*fields), self.key)
        return _Count(self, None)

    def count(self) -> int:
        return self.counted(None)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        return self.rows[index]

    def __iter__(self):
        return iter(self.rows)


class _Count:
    """``order_by()[:limit]`` of a ``CachedCount``: something to ``count()``."""

    def __init__(self, parent: CachedCount, limit: int | None):
        self.parent = parent
        self.limit = limit

    def __getitem__(self, index):
        if isinstance(index, slice) and not index.start and index.step is None:
            return _Count(self.parent, index.stop)
        return self.parent.rows.order_by()[index]

    def count(self) -> int:
        return self.parent.counted(self.limit)
