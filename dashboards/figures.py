"""Every figure of the dashboards and the year-end report, over a set of streets.

A figure is a small table (a category column, then numbers) with a title; the page draws it as
a chart beside the same table, the exports write the same rows. Each figure is aggregated in
SQL with a fixed number of queries whatever the data's size (the campaigns read their stored
totals; the margin of those not passing yet, a function of each roll, reads their rolls in one
query).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from consultations.models import Category, ConsultationRequest, RequestEvent
from consultations.workflows.request import CLOSED_STATES as REQUEST_CLOSED
from consultations.workflows.request import FOLLOW_UP_STATES, RequestState
from corridors.models import Application, ApplicationTransition, Department, Neighbourhood, ProgrammeYear, Street
from corridors.workflows.application import State
from funds.decision import RollEntry, decide, find_margin
from funds.models import Award, Campaign, Payout, PayoutState, Unit, to_fen
from funds.workflows.award import AwardState

ZERO = Decimal("0.00")
NB = "building__compound__neighbourhood"


@dataclass(frozen=True)
class Places:
    """Which streets (already limited to what the reader may see), optionally one neighbourhood, which year."""

    street_ids: tuple[int, ...]
    year: int
    neighbourhood_id: int | None = None

    def q(self, path: str) -> Q:
        """Rows whose neighbourhood (reached by ``path``) is in these places."""
        condition = Q(**{f"{path}__street_id__in": self.street_ids})
        if self.neighbourhood_id is not None:
            condition &= Q(**{f"{path}_id": self.neighbourhood_id})
        return condition


@dataclass
class Figure:
    key: str
    title: str
    columns: list[str]
    rows: list[list]
    kind: str = "bar"  # bar, stacked, line
    # Which columns (by index, after the first) are drawn; the table shows them all.
    series: list[int] | None = None
    note: str = ""
    horizontal: bool = False
    extra: dict = field(default_factory=dict)

    def chart(self) -> dict:
        drawn = self.series or list(range(1, len(self.columns)))
        return {
            "key": self.key,
            "title": self.title,
            "kind": self.kind,
            "horizontal": self.horizontal,
            "categories": [str(row[0]) for row in self.rows],
            "series": [
                {"name": self.columns[i], "data": [_number(row[i]) for row in self.rows]}
                for i in drawn
                # A stack leaves out its empty layers (an unused state), so the legend stays short.
                if self.kind != "stacked" or any(row[i] for row in self.rows)
            ],
        }


def _number(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return value


def _neighbourhood_labels(places: Places) -> dict[int, str]:
    """Neighbourhood names, with the street's in front when more than one street is shown."""
    rows = Neighbourhood.objects.filter(street_id__in=places.street_ids).values_list("pk", "name", "street__name")
    several = len(places.street_ids) > 1
    return {pk: f"{street} {name}" if several else name for pk, name, street in rows}


def _days(seconds) -> Decimal | None:
    if seconds is None:
        return None
    return (Decimal(seconds) / Decimal(86400)).quantize(Decimal("0.1"))


def _percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


# --- Applications -----------------------------------------------------------------------------


def application_funnel(places: Places) -> Figure:
    labels = _neighbourhood_labels(places)
    counts = defaultdict(dict)
    rows = (
        Application.objects.filter(places.q(f"group__{NB}"), programme_year__year=places.year)
        .values_list(f"group__{NB}_id", "state")
        .annotate(n=Count("pk"))
    )
    for neighbourhood_id, state, n in rows:
        counts[neighbourhood_id][state] = n
    states = list(State)
    table = []
    for neighbourhood_id in sorted(counts, key=lambda pk: labels.get(pk, "")):
        by_state = counts[neighbourhood_id]
        line = [labels.get(neighbourhood_id, "")] + [by_state.get(s.value, 0) for s in states]
        table.append(line + [sum(by_state.values())])
    return Figure(
        "funnel",
        _("Applications by state and neighbourhood"),
        [_("Neighbourhood")] + [str(s.label) for s in states] + [_("Total")],
        table,
        kind="stacked",
        horizontal=True,
        series=list(range(1, len(states) + 1)),
    )


# Time in a state: from entering it (the previous step, or the application's creation for the
# first) to leaving it, for every step of the chosen applications' histories.
TIME_IN_STATE_SQL = """
SELECT from_state, COUNT(*), PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY secs), MAX(secs)
FROM (
    SELECT t.from_state,
           EXTRACT(EPOCH FROM t.created_at - COALESCE(
               LAG(t.created_at) OVER (PARTITION BY t.application_id ORDER BY t.created_at, t.id),
               a.created_at)) AS secs
    FROM {transition} t JOIN {application} a ON a.id = t.application_id
    WHERE a.id IN ({chosen})
) AS steps
GROUP BY from_state
"""


def time_in_state(places: Places) -> Figure:
    chosen = Application.objects.filter(places.q(f"group__{NB}"), programme_year__year=places.year).values("pk")
    chosen_sql, params = chosen.query.sql_with_params()
    sql = TIME_IN_STATE_SQL.format(
        transition=ApplicationTransition._meta.db_table, application=Application._meta.db_table, chosen=chosen_sql
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = {state: (n, median, slowest) for state, n, median, slowest in cursor.fetchall()}
    table = []
    for state in State:
        if state.value in found:
            n, median, slowest = found[state.value]
            table.append([str(state.label), n, _days(median), _days(slowest)])
    return Figure(
        "time_in_state",
        _("Time in each state (days)"),
        [_("State"), pgettext("dashboard", "Steps"), _("Median days"), _("Slowest days")],
        table,
        horizontal=True,
        series=[2, 3],
    )


# --- Awards and money ---------------------------------------------------------------------------


def awards_per_year(places: Places) -> Figure:
    rows = (
        Award.objects.filter(places.q(f"group__{NB}"), programme_year__year__lte=places.year)
        .values_list("programme_year__year")
        .annotate(
            total=Count("pk"),
            active=Count("pk", filter=Q(state=AwardState.ACTIVE)),
            revoked=Count("pk", filter=Q(state=AwardState.REVOKED)),
        )
        .order_by("programme_year__year")
    )
    return Figure(
        "awards",
        _("Awards per year"),
        [_("Year"), _("Awards"), pgettext("dashboard", "Active"), _("Revoked")],
        [[year, total, active, revoked] for year, total, active, revoked in rows],
        series=[1],
    )


LIVE_PAYOUTS = [PayoutState.PROPOSED, PayoutState.APPROVED, PayoutState.PAID]


def _payout_sums(queryset):
    return queryset.annotate(
        committed=Sum("amount", filter=Q(state__in=LIVE_PAYOUTS)),
        approved=Sum("amount", filter=Q(state=PayoutState.APPROVED)),
        paid=Sum("amount", filter=Q(state=PayoutState.PAID)),
    )


def money_by_neighbourhood(places: Places) -> Figure:
    labels = _neighbourhood_labels(places)
    rows = _payout_sums(
        Payout.objects.filter(places.q(f"award__group__{NB}"), award__programme_year__year=places.year).values(
            f"award__group__{NB}_id"
        )
    )
    table = sorted(
        (
            [
                labels.get(row[f"award__group__{NB}_id"], ""),
                row["committed"] or ZERO,
                row["approved"] or ZERO,
                row["paid"] or ZERO,
            ]
            for row in rows
        ),
        key=lambda line: line[0],
    )
    return Figure(
        "money_neighbourhood",
        _("Payouts per neighbourhood (yuan)"),
        [_("Neighbourhood"), _("Committed"), _("Approved, not yet paid"), pgettext("payout", "Paid")],
        table,
        note=_("Committed: every payout proposed, approved or paid."),
    )


def money_by_year(places: Places) -> Figure:
    """Each street's budget per programme year and what it has given (budgets are set per street)."""
    years = list(
        ProgrammeYear.objects.filter(street_id__in=places.street_ids, year__lte=places.year)
        .order_by("street__name", "year")
        .values_list("pk", "year", "street__name", "annual_budget")
    )
    sums = {
        row["award__programme_year_id"]: row
        for row in _payout_sums(
            Payout.objects.filter(award__programme_year__street_id__in=places.street_ids).values(
                "award__programme_year_id"
            )
        )
    }
    several = len(places.street_ids) > 1
    table = []
    for pk, year, street, budget in years:
        row = sums.get(pk, {})
        approved, paid = row.get("approved") or ZERO, row.get("paid") or ZERO
        label = f"{street} {year}" if several else str(year)
        table.append([label, budget, row.get("committed") or ZERO, approved, paid, budget - approved - paid])
    return Figure(
        "money_year",
        _("Budget and payouts per year (yuan)"),
        [_("Year"), _("Budget"), _("Committed"), _("Approved, not yet paid"), pgettext("payout", "Paid"), _("Left")],
        table,
        note=_("Budgets are set per street: this ignores the neighbourhood chosen. Left = budget − approved − paid."),
    )


# --- Requests -----------------------------------------------------------------------------------


def _requests(places: Places):
    return ConsultationRequest.objects.filter(places.q("neighbourhood"), created_at__year=places.year)


def requests_by_category(places: Places) -> Figure:
    names = dict(Category.objects.filter(street_id__in=places.street_ids).values_list("pk", "name"))
    rows = (
        _requests(places)
        .values_list("category_id")
        .annotate(n=Count("pk"), closed=Count("pk", filter=Q(state__in=REQUEST_CLOSED)))
    )
    table = sorted(([names.get(pk, ""), n, closed] for pk, n, closed in rows), key=lambda line: (-line[1], line[0]))
    return Figure(
        "requests_category",
        _("Requests by category"),
        [_("Category"), _("Requests"), _("Closed")],
        table,
        horizontal=True,
    )


def _department_labels(places: Places) -> dict[int, str]:
    rows = Department.objects.filter(street_id__in=places.street_ids).values_list("pk", "name", "street__name")
    several = len(places.street_ids) > 1
    return {pk: f"{street} {name}" if several else name for pk, name, street in rows}


def requests_by_department(places: Places) -> Figure:
    names = _department_labels(places)
    rows = (
        _requests(places)
        .values_list("department_id")
        .annotate(
            n=Count("pk"),
            open=Count("pk", filter=~Q(state__in=REQUEST_CLOSED)),
            closed=Count("pk", filter=Q(state__in=REQUEST_CLOSED)),
        )
    )
    table = sorted(
        ([names.get(pk, ""), n, still_open, closed] for pk, n, still_open, closed in rows),
        key=lambda line: (-line[1], line[0]),
    )
    return Figure(
        "requests_department",
        _("Requests by department"),
        [_("Department"), _("Requests"), pgettext("dashboard", "Open"), _("Closed")],
        table,
        kind="stacked",
        horizontal=True,
        series=[2, 3],
    )


# (label, lowest days, highest days) of the resolution-time bands; None: no bound.
RESOLUTION_BANDS = [
    ("0–7", None, 7),
    ("8–15", 7, 15),
    ("16–30", 15, 30),
    ("31–60", 30, 60),
    ("> 60", 60, None),
]


def resolution_times(places: Places) -> Figure:
    took = ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField())
    bands = {}
    for number, (_label, low, high) in enumerate(RESOLUTION_BANDS):
        condition = Q()
        if low is not None:
            condition &= Q(took__gt=timedelta(days=low))
        if high is not None:
            condition &= Q(took__lte=timedelta(days=high))
        bands[f"band{number}"] = Count("pk", filter=condition)
    counts = _requests(places).filter(resolved_at__isnull=False).annotate(took=took).aggregate(**bands)
    return Figure(
        "resolution",
        _("Time to resolve a request"),
        [_("Days"), _("Requests")],
        [[label, counts[f"band{number}"]] for number, (label, _low, _high) in enumerate(RESOLUTION_BANDS)],
        note=_("From filing to the department's resolution, for the requests resolved so far."),
    )


def overdue_by_department(places: Places, today: date | None = None) -> Figure:
    today = today or timezone.localdate()
    names = _department_labels(places)
    rows = (
        _requests(places)
        .filter(state__in=FOLLOW_UP_STATES)
        .values_list("department_id")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    )
    table = sorted(([names.get(pk, ""), n, overdue] for pk, n, overdue in rows), key=lambda line: (-line[2], line[0]))
    return Figure(
        "overdue",
        _("Overdue requests by department"),
        [_("Department"), _("Being followed up"), _("Overdue")],
        table,
        horizontal=True,
        series=[2],
        note=_("As of %(day)s.") % {"day": today.isoformat()},
    )


def satisfaction(places: Places) -> Figure:
    names = _department_labels(places)
    rows = (
        RequestEvent.objects.filter(request__in=_requests(places), action__in=["confirm", "reopen"])
        .values_list("request__department_id")
        .annotate(
            confirmed=Count("pk", filter=Q(action="confirm")),
            reopened=Count("pk", filter=Q(action="reopen")),
        )
    )
    table = sorted(
        (
            [names.get(pk, ""), confirmed, reopened, _percent(confirmed, confirmed + reopened)]
            for pk, confirmed, reopened in rows
        ),
        key=lambda line: line[0],
    )
    return Figure(
        "satisfaction",
        _("Satisfaction with resolutions"),
        [_("Department"), _("Confirmed"), _("Reopened"), _("Satisfied %")],
        table,
        kind="stacked",
        horizontal=True,
        series=[1, 2],
        note=_("Where the representative answered: confirmed the resolution, or reopened the request."),
    )


# --- Maintenance-fund campaigns -----------------------------------------------------------------


def campaigns(places: Places) -> Figure:
    """Each campaign's progress from its stored totals (``funds.totals``: CampaignTally); the
    rolls are read (one query) only for the margin of campaigns not passing yet, and for a
    campaign not counted yet (no stored totals), whose figures are then counted from the roll."""
    chosen = list(
        Campaign.objects.filter(places.q(NB), created_at__year=places.year)
        .order_by("created_at", "pk")
        .values_list(
            "pk", "purpose", "building__compound__name", "building__name", "rule_set",
            "works_cost", "fund_balance", "initial_fund", "reserve_share",
            "tally__units", "tally__agree_units", "tally__collected", "tally__passes",
        )
    )  # fmt: skip
    rolls = defaultdict(list)
    for campaign_id, pk, label, floor, area, key, status, paid in Unit.objects.filter(
        campaign_id__in=[c[0] for c in chosen if c[9] is None or not c[12]]
    ).values_list("campaign_id", "pk", "label", "floor", "area_m2", "owner_key", "consent_status", "paid_total"):
        rolls[campaign_id].append((RollEntry(label, floor, area, key, status, pk), paid))
    table = []
    for row in chosen:
        pk, purpose, compound, building, rule_set, cost, balance, initial, reserve_share = row[:9]
        units, agreeing, collected, passed = row[9:]
        entries = [entry for entry, _paid in rolls[pk]]
        if units is None:  # not counted yet: the roll itself
            decision = decide(entries, rule_set)
            units, agreeing, passed = len(entries), decision.unit_counts.get("agree", 0), decision.passed
            collected = sum((paid for _entry, paid in rolls[pk]), ZERO)
        if passed:
            margin = 0
        else:
            found = find_margin(entries, rule_set)
            margin = found.owners if found is not None else None
        collected = to_fen(collected)
        gap = to_fen(cost - (balance - to_fen(reserve_share * initial)))
        table.append(
            [
                f"{compound} {building} · {purpose}",
                units,
                agreeing,
                margin,
                collected,
                gap,
                _percent(collected, gap) if gap > 0 else None,
            ]
        )
    return Figure(
        "campaigns",
        _("Maintenance-fund campaigns"),
        [
            _("Campaign"),
            _("Units"),
            _("Agreeing units"),
            _("Owners still to win over"),
            _("Collected"),
            _("Gap to raise"),
            _("Collected %"),
        ],
        table,
        horizontal=True,
        series=[4, 5],
        note=_("Owners still to win over: 0 once the decision passes; empty when it can no longer pass."),
    )


FIGURES = [
    application_funnel,
    time_in_state,
    awards_per_year,
    money_by_neighbourhood,
    money_by_year,
    requests_by_category,
    requests_by_department,
    resolution_times,
    overdue_by_department,
    satisfaction,
    campaigns,
]
KEYS = {
    "funnel": application_funnel,
    "time_in_state": time_in_state,
    "awards": awards_per_year,
    "money_neighbourhood": money_by_neighbourhood,
    "money_year": money_by_year,
    "requests_category": requests_by_category,
    "requests_department": requests_by_department,
    "resolution": resolution_times,
    "overdue": overdue_by_department,
    "satisfaction": satisfaction,
    "campaigns": campaigns,
}


def all_figures(places: Places) -> list[Figure]:
    return [make(places) for make in FIGURES]


def summary(places: Places) -> list[tuple[str, object]]:
    """The year's headline numbers for the report's first lines (three queries)."""
    applications = Application.objects.filter(places.q(f"group__{NB}"), programme_year__year=places.year).aggregate(
        total=Count("pk", filter=~Q(state=State.DRAFT)),
        awarded=Count("pk", filter=Q(state=State.AWARDED)),
    )
    paid = (
        Payout.objects.filter(
            places.q(f"award__group__{NB}"), award__programme_year__year=places.year, state=PayoutState.PAID
        ).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    requests = _requests(places).aggregate(
        total=Count("pk"),
        closed=Count("pk", filter=Q(state__in=REQUEST_CLOSED)),
        confirmed=Count("pk", filter=Q(state=RequestState.CONFIRMED)),
    )
    return [
        (_("Applications submitted"), applications["total"]),
        (_("Corridors awarded"), applications["awarded"]),
        (_("Paid to corridors (yuan)"), paid),
        (_("Requests filed"), requests["total"]),
        (_("Requests closed"), requests["closed"]),
        (_("Resolutions confirmed"), requests["confirmed"]),
    ]


def street_names(places: Places) -> list[str]:
    return list(Street.objects.filter(pk__in=places.street_ids).order_by("name").values_list("name", flat=True))


def scope_label(places: Places, streets: list[str]) -> str:
    """Whose figures a report holds: its streets' names, or one neighbourhood of its street."""
    if places.neighbourhood_id is not None:
        return _("One neighbourhood of %(street)s") % {"street": "、".join(streets)}
    return "、".join(streets)
