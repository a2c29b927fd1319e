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

A page read from the cache renders almost nothing itself: the rendered charts and tables
(``dashboard_body``, ``year_end_body``) are kept under the figures' key and the query string of
their export links, and the filter bar with what it chose (``chosen_filters``) under the
reader's streets, the raw choice, the language, the year and the *place generation* (bumped by
saves and deletes of districts, streets, neighbourhoods and programme years: what the bar
lists). Its year, street and neighbourhood lists are some 100 options at district scale, whose
widgets cost more to render than the whole rest of the page.
"""

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string
from django.utils import timezone, translation

from common.templatetags.form_errors import error_summary
from corridors.selectors import scope_of
from dashboards.figures import Figure, Places, all_figures, scope_label, street_names, summary

GENERATION_KEY = "dashboards:generation"
PLACES_GENERATION_KEY = "dashboards:places-generation"
TIMEOUT = 15 * 60
# Raised whenever what an entry holds changes shape.
FORMAT = "2"
# The filter bar's fields: only these parts of the query string choose anything.
FILTER_FIELDS = ("year", "street", "neighbourhood")


@dataclass(frozen=True)
class Computed:
    """Figures (or the report's headline) and when they were computed."""

    value: Any
    computed_at: datetime


def generation(key: str = GENERATION_KEY) -> int:
    """The current data (or place) generation. A forgotten one (evicted, never set) starts again
    at the clock in nanoseconds, never at a number an older entry could carry."""
    current = cache.get(key)
    if current is None:
        cache.add(key, time.time_ns(), timeout=None)
        current = cache.get(key) or time.time_ns()
    return current


def _increment(key: str = GENERATION_KEY) -> None:
    try:
        cache.incr(key)
    except ValueError:  # not there (evicted or never read): any new value retires the old entries
        cache.add(key, time.time_ns(), timeout=None)


def bump(key: str = GENERATION_KEY) -> None:
    """Retire every cached figure (or filter bar, with ``PLACES_GENERATION_KEY``) on every
    node: at once, so the writer's own next page is fresh, and again when the transaction
    commits, so a page another reader computed in between from the old rows is not kept under
    the new generation."""
    _increment(key)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _increment(key))


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
    return _hashed(parts)


def _cached(part: str, places: Places, compute) -> Computed:
    key = _key(part, places)
    found = cache.get(key)
    if found is None:
        found = Computed(compute(), timezone.now())
        cache.set(key, found, TIMEOUT)
    return found


def _hashed(parts: list[str]) -> str:
    # FORMAT first: an entry pickled by an older release (another shape) is never read back.
    return "dashboards:" + hashlib.sha256("\n".join([FORMAT, *parts]).encode()).hexdigest()


@dataclass(frozen=True)
class Chosen:
    """What the filter bar chose, the query string that repeats it, the bar rendered and the
    error summary above the page (empty when the choice is fine)."""

    places: Places
    query: str
    html: str
    summary: str


def reader_street_ids(user) -> list[int]:
    """The streets whose figures ``user`` may read (``dashboards.selectors.streets_for``, from
    the scope already read for the request: no query)."""
    scope = scope_of(user)
    return sorted(scope.visible_streets | scope.finance_streets)


def chosen_filters(user, data) -> Chosen:
    """The year and places chosen by the query string ``data`` (a ``QueryDict``), checked by
    ``FigureFilters`` and its bar rendered once per reader's streets, choice, language and year,
    and again whenever a district, street, neighbourhood or programme year changes."""
    from dashboards.forms.filters import FigureFilters

    key = _hashed(
        [
            "filters",
            ",".join(str(pk) for pk in reader_street_ids(user)),
            "bound" if data else "",
            *(data.get(name, "") if data else "" for name in FILTER_FIELDS),
            translation.get_language() or "",
            str(timezone.localdate().year),
            str(generation(PLACES_GENERATION_KEY)),
        ]
    )
    found = cache.get(key)
    if found is None:
        form = FigureFilters(user, data or None)
        # The summary first: it also rewrites the messages under the fields in plain words.
        summary = error_summary(form)
        html = render_to_string("dashboards/includes/filters.html", {"filters": form})
        found = Chosen(form.places(), form.query(), html, summary)
        cache.set(key, found, TIMEOUT)
    return found


def _rendered(part: str, places: Places, query: str, render) -> Computed:
    """A page's rendered figures (``render() -> Computed``), kept under the figures' key and
    the query string of the export links it holds."""
    key = _key(f"{part}\n{query}", places)
    found = cache.get(key)
    if found is None:
        found = render()
        cache.set(key, found, TIMEOUT)
    return found


def dashboard_body(places: Places, query: str) -> Computed:
    """The dashboard's charts and tables rendered (``Computed.value``: HTML): rendering a
    district's tables costs more than reading its figures."""

    def render() -> Computed:
        computed = figures_for(places)
        figures = computed.value
        context = {"figures": figures, "charts": [figure.chart() for figure in figures], "query": query}
        return Computed(render_to_string("dashboards/includes/dashboard_body.html", context), computed.computed_at)

    return _rendered("dashboard-html", places, query, render)


def year_end_body(places: Places, query: str) -> Computed:
    """The year-end page's headline, scope and tables rendered (``Computed.value``: HTML)."""

    def render() -> Computed:
        figures, report = figures_for(places), report_for(places)
        headline, streets = report.value
        computed_at = min(figures.computed_at, report.computed_at)
        context = {
            "places": places,
            "headline": headline,
            "figures": figures.value,
            "scope": scope_label(places, streets),
            "computed_at": computed_at,
        }
        return Computed(render_to_string("dashboards/includes/year_end_body.html", context), computed_at)

    return _rendered("year-end-html", places, query, render)


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


def _place_sources():
    """Every model the filter bar lists or orders by: a save or delete of one bumps the place generation."""
    from corridors import models as corridors

    return [corridors.District, corridors.Street, corridors.Neighbourhood, corridors.ProgrammeYear]


def _changed(sender, **kwargs) -> None:
    bump()


def _places_changed(sender, **kwargs) -> None:
    bump(PLACES_GENERATION_KEY)


def connect() -> None:
    """Connect ``bump`` to the sources' saves and deletes (``DashboardsConfig.ready``)."""
    for model in _sources():
        label = model._meta.label
        post_save.connect(_changed, sender=model, dispatch_uid=f"dashboards-cache-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"dashboards-cache-del-{label}")
    for model in _place_sources():
        label = model._meta.label
        post_save.connect(_places_changed, sender=model, dispatch_uid=f"dashboards-places-{label}")
        post_delete.connect(_places_changed, sender=model, dispatch_uid=f"dashboards-places-del-{label}")
