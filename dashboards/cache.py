"""The dashboards' figures, computed once and read from the shared cache.

Every figure is an aggregate over a year of a street's (or a district's) rows; at district
scale the eleven of them cost most of a dashboard request. ``figures_for(places)`` and
``report_for(places)`` keep what ``dashboards.figures`` computes in Django's cache (Redis on a
real install, so every app node reads the same entry) under a key made of:

- the places: the street ids (already the reader's streets cut down by the filters, so two
  readers with different streets never share an entry), the neighbourhood and the year;
- the language (titles and columns are translated when computed) and today's date (the
  overdue figure counts against today);
- the *data generation*: one integer that every change to what a figure counts increments
  (``bump``, connected in ``DashboardsConfig.ready`` to the source models' ``post_save`` and
  ``post_delete``), so an entry is never read again once its rows changed, on any node.

An entry also lives at most ``TIMEOUT`` seconds: a safety net for writes that skip signals
(``QuerySet.update``, raw SQL, a restore). Each entry carries when it was computed; the pages
say so ("数据更新于 …").
"""

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone, translation

from dashboards.figures import Figure, Places, all_figures, street_names, summary

GENERATION_KEY = "dashboards:generation"
TIMEOUT = 15 * 60


@dataclass(frozen=True)
class Computed:
    """Figures (or the report's headline) and when they were computed."""

    value: object
    computed_at: datetime


def generation() -> int:
    """The current data generation. A forgotten one (evicted, never set) starts again at the
    clock in nanoseconds, never at a number an older entry could carry."""
    current = cache.get(GENERATION_KEY)
    if current is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        current = cache.get(GENERATION_KEY) or time.time_ns()
    return current


def _increment() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there (evicted or never read): any new value retires the old entries
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)


def bump() -> None:
    """Retire every cached figure (on every node): at once, so the writer's own next page is
    fresh, and again when the transaction commits, so a page another reader computed in
    between from the old rows is not kept under the new generation."""
    _increment()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_increment)


def _key(part: str, places: Places) -> str:
    parts = [
        part,
        ",".join(str(pk) for pk in sorted(places.street_ids)),
        str(places.neighbourhood_id or ""),
        str(places.year),
        translation.get_language() or "",
        timezone.localdate().isoformat(),
        str(generation()),
    ]
    return "dashboards:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _cached(part: str, places: Places, compute) -> Computed:
    key = _key(part, places)
    found = cache.get(key)
    if found is None:
        found = Computed(compute(), timezone.now())
        cache.set(key, found, TIMEOUT)
    return found


def fragment_key(places: Places) -> str:
    """The key of the dashboard's rendered charts and tables (the template's ``{% cache %}``):
    rendering a district's 338 KB of tables costs more than its figures' SQL."""
    return _key("figures-html", places)


def figures_for(places: Places) -> Computed:
    """Every figure of ``places`` (``Computed.value``: a list of ``Figure``), from the cache when it is fresh."""
    return _cached("figures", places, lambda: all_figures(places))


def figure_for(places: Places, key: str) -> tuple[Figure | None, datetime]:
    computed = figures_for(places)
    return next((figure for figure in computed.value if figure.key == key), None), computed.computed_at


def report_for(places: Places) -> Computed:
    """The year-end report's headline and street names (``Computed.value``: ``(headline, streets)``)."""
    return _cached("report", places, lambda: (summary(places), street_names(places)))


def _sources():
    """Every model a figure counts or labels by: a save or delete of one bumps the generation."""
    from consultations import models as consultations
    from corridors import models as corridors
    from funds import models as funds

    return [
        corridors.Application,
        corridors.ApplicationTransition,
        corridors.ProgrammeYear,
        corridors.Neighbourhood,
        corridors.Department,
        corridors.Street,
        funds.Award,
        funds.AwardTransition,
        funds.Payout,
        funds.PayoutTransition,
        funds.LedgerEntry,
        funds.Campaign,
        funds.Unit,
        funds.ConsentRecord,
        funds.Payment,
        consultations.ConsultationRequest,
        consultations.RequestEvent,
        consultations.Category,
    ]


def _changed(sender, **kwargs) -> None:
    bump()


def connect() -> None:
    """Connect ``bump`` to the sources' saves and deletes (``DashboardsConfig.ready``)."""
    for model in _sources():
        label = model._meta.label
        post_save.connect(_changed, sender=model, dispatch_uid=f"dashboards-cache-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"dashboards-cache-del-{label}")
