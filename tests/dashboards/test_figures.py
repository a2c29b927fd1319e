"""Every chart's numbers equal an independent count written here (objects walked in Python,
or the funds app's own decision), on a street's year of data; the other street never counts."""

import statistics
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.utils import timezone

from consultations.models import ConsultationRequest, RequestEvent
from consultations.workflows.request import CLOSED_STATES, FOLLOW_UP_STATES
from corridors.models import Application
from corridors.workflows.application import State
from dashboards import figures
from dashboards.figures import Places
from funds.decision import decide_campaign
from funds.models import Award, Payout, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(year_world):
    return Places(street_ids=(year_world.w.street.pk,), year=timezone.localdate().year)


def ours(street, neighbourhood) -> bool:
    return neighbourhood.street_id == street.pk


def test_application_funnel_counts_each_state_per_neighbourhood(year_world, places):
    w = year_world.w
    expected = Counter()
    for a in Application.objects.select_related("group__building__compound__neighbourhood", "programme_year"):
        nb = a.group.building.compound.neighbourhood
        if ours(w.street, nb) and a.programme_year.year == places.year:
            expected[(nb.name, a.state)] += 1
    figure = figures.application_funnel(places)
    states = list(State)
    got = Counter()
    for row in figure.rows:
        assert row[-1] == sum(row[1:-1])
        for i, state in enumerate(states, start=1):
            if row[i]:
                got[(row[0], state.value)] = row[i]
    assert got == expected
    assert got[(w.n1.name, "awarded")] == 1 and got[(w.n2.name, "submitted")] == 1
    assert all("控江" not in row[0] for row in figure.rows)


def test_time_in_each_state_is_the_median_and_slowest_of_the_histories(year_world, places):
    w = year_world.w
    spent = defaultdict(list)
    for a in Application.objects.filter(group__building__compound__neighbourhood__street=w.street):
        before = a.created_at
        for t in a.transitions.order_by("created_at", "pk"):
            spent[t.from_state].append((t.created_at - before).total_seconds())
            before = t.created_at
    days = lambda s: (Decimal(s) / 86400).quantize(Decimal("0.1"))  # noqa: E731
    expected = {
        str(State(state).label): [len(v), days(statistics.median(v)), days(max(v))] for state, v in spent.items()
    }
    figure = figures.time_in_state(places)
    assert {row[0]: row[1:] for row in figure.rows} == expected
    # The spread application: 4 days as a draft, 2 submitted, 1 returned.
    assert expected[str(State.DRAFT.label)] == [1, Decimal("4.0"), Decimal("4.0")]
    assert expected[str(State.RETURNED.label)] == [1, Decimal("1.0"), Decimal("1.0")]


def test_awards_per_year(year_world, places):
    expected = Counter(
        a.programme_year.year
        for a in Award.objects.select_related("programme_year")
        if a.programme_year.street_id == year_world.w.street.pk
    )
    figure = figures.awards_per_year(places)
    assert {row[0]: row[1] for row in figure.rows} == dict(expected) == {places.year: 2}


def test_money_per_neighbourhood_and_per_year(year_world, places):
    w = year_world.w
    expected = defaultdict(lambda: [Decimal(0)] * 3)
    for p in Payout.objects.select_related("award__group__building__compound__neighbourhood"):
        nb = p.award.group.building.compound.neighbourhood
        if not ours(w.street, nb):
            continue
        line = expected[nb.name]
        if p.state in ("proposed", "approved", "paid"):
            line[0] += p.amount
        if p.state == "approved":
            line[1] += p.amount
        if p.state == "paid":
            line[2] += p.amount
    figure = figures.money_by_neighbourhood(places)
    assert {row[0]: row[1:] for row in figure.rows} == dict(expected)
    assert expected[w.n1.name] == [Decimal("2000.00"), 0, Decimal("2000.00")]

    by_year = figures.money_by_year(places)
    budget = year_world.year.annual_budget
    assert by_year.rows == [
        [str(places.year), budget, Decimal("4000.00"), Decimal("2000.00"), Decimal("2000.00"), budget - 4000]
    ]


def _our_requests(w, year):
    return [
        r
        for r in ConsultationRequest.objects.select_related("neighbourhood", "category", "department")
        if ours(w.street, r.neighbourhood) and timezone.localtime(r.created_at).year == year
    ]


def test_requests_by_category_and_department(year_world, places):
    requests = _our_requests(year_world.w, places.year)
    by_category = Counter(r.category.name for r in requests)
    closed = Counter(r.category.name for r in requests if r.state in CLOSED_STATES)
    figure = figures.requests_by_category(places)
    assert {row[0]: (row[1], row[2]) for row in figure.rows} == {k: (n, closed[k]) for k, n in by_category.items()}
    assert by_category == {"电梯": 2, "垃圾分类": 1}

    by_department = Counter(r.department.name for r in requests)
    still_open = Counter(r.department.name for r in requests if r.state not in CLOSED_STATES)
    figure = figures.requests_by_department(places)
    assert {row[0]: (row[1], row[2], row[1] - row[2]) for row in figure.rows} == {
        k: (n, still_open[k], n - still_open[k]) for k, n in by_department.items()
    }


def test_resolution_time_distribution(year_world, places):
    took = [(r.resolved_at - r.created_at).days for r in _our_requests(year_world.w, places.year) if r.resolved_at]
    figure = figures.resolution_times(places)
    got = {row[0]: row[1] for row in figure.rows}
    assert sum(got.values()) == len(took) == 2
    assert got["0–7"] == sum(1 for d in took if d <= 7) == 1
    assert got["16–30"] == sum(1 for d in took if 15 < d <= 30) == 1


def test_overdue_by_department(year_world, places):
    today = timezone.localdate()
    requests = _our_requests(year_world.w, places.year)
    overdue = Counter(r.department.name for r in requests if r.state in FOLLOW_UP_STATES and r.due_date < today)
    figure = figures.overdue_by_department(places)
    assert {row[0]: row[2] for row in figure.rows if row[2]} == dict(overdue) == {"绿化市容所": 1}


def test_satisfaction_where_recorded(year_world, places):
    events = [
        e
        for e in RequestEvent.objects.select_related("request__neighbourhood", "request__department")
        if ours(year_world.w.street, e.request.neighbourhood) and e.action in ("confirm", "reopen")
    ]
    confirmed = Counter(e.request.department.name for e in events if e.action == "confirm")
    reopened = Counter(e.request.department.name for e in events if e.action == "reopen")
    figure = figures.satisfaction(places)
    assert {row[0]: (row[1], row[2]) for row in figure.rows} == {
        name: (confirmed[name], reopened[name]) for name in set(confirmed) | set(reopened)
    }
    rates = {row[0]: row[3] for row in figure.rows}
    assert rates == {year_world.w.housing.name: Decimal("100.0"), "绿化市容所": Decimal("0.0")}


def test_campaign_progress_uses_the_funds_decision_and_the_roll(year_world, places):
    campaign = year_world.campaign
    decision = decide_campaign(campaign)
    expected_margin = 0 if decision.passed else (decision.margin.owners if decision.margin else None)
    collected = sum(u.paid_total for u in campaign.units.all())
    figure = figures.campaigns(places)
    assert len(figure.rows) == 1
    _label, units, agreeing, margin, got_collected, gap, _percent = figure.rows[0]
    assert (units, agreeing, margin) == (campaign.units.count(), 5, expected_margin)
    assert (got_collected, gap) == (collected, campaign.gap) == (Decimal("3000.00"), campaign.gap)


def test_one_neighbourhood_narrows_every_figure(year_world):
    w = year_world.w
    places = Places(street_ids=(w.street.pk,), year=timezone.localdate().year, neighbourhood_id=w.n2.pk)
    assert [row[0] for row in figures.application_funnel(places).rows] == [w.n2.name]
    assert [row[0] for row in figures.money_by_neighbourhood(places).rows] == [w.n2.name]
    assert figures.requests_by_category(places).rows == []  # every request is in N1


def test_a_stacked_chart_leaves_out_empty_layers_but_the_table_keeps_every_state(year_world, places):
    figure = figures.application_funnel(places)
    drawn = {s["name"] for s in figure.chart()["series"]}
    assert drawn == {str(State.AWARDED.label), str(State.SUBMITTED.label)}
    assert len(figure.columns) == len(State) + 2


def test_campaign_progress_reads_the_stored_totals_not_the_roll(year_world, places):
    """The figure shows the campaign's stored totals (the ones its pages show): a unit written
    behind the totals' back (what check_campaign_totals reports as drift) does not move it."""
    campaign = year_world.campaign
    Unit.objects.filter(campaign=campaign, consent_status="pending").update(consent_status="agree")
    _label, units, agreeing, _margin, collected, _gap, _percent = figures.campaigns(places).rows[0]
    assert (units, agreeing, collected) == (8, 5, Decimal("3000.00"))
