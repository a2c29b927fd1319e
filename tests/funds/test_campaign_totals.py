"""A campaign's stored totals (funds/services/tallies.py): always what a fresh count of the
units says, kept right when two volunteers record at once, read by the pages instead of the
roll, guarded by the database, and checked (and repaired) by ``check_campaign_totals``."""

import random
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from funds.decision import decide_campaign
from funds.models import CampaignTally, ConsentStatus, Payment, RuleSet
from funds.models.consents import VOTES
from funds.progress import collection_of
from funds.services import tallies as tally_services
from funds.services.consents import unit_record_consent
from funds.services.notice import notice_publish
from funds.services.payments import payment_correct, payment_record
from funds.services.units import unit_correct
from funds.totals import campaign_collection, campaign_decision, counted_from_rows
from tests.funds.conftest import add_units, import_roll, make_campaign, roll_csv
from tests.races import race

ANSWERS = [s.value for s in ConsentStatus]


def stored_figures(campaign) -> dict:
    stored = CampaignTally.objects.get(pk=campaign.pk)
    return {name: getattr(stored, name) for name in counted_from_rows(campaign)}


def assert_matches_a_fresh_count(campaign):
    assert stored_figures(campaign) == counted_from_rows(campaign)
    stored, fresh = campaign_decision(campaign), decide_campaign(campaign)
    assert stored.passed == fresh.passed
    assert stored.use.passed == fresh.use.passed
    assert stored.unit_counts == fresh.unit_counts
    assert [(c.key, c.value, c.base, c.passed) for c in stored.conditions] == [
        (c.key, c.value, c.base, c.passed) for c in fresh.conditions
    ]
    assert (stored.margin.owners if stored.margin else None) == (fresh.margin.owners if fresh.margin else None)
    assert campaign_collection(campaign) == collection_of(campaign)


def record(unit, status, actor):
    confirmed = unit.consent_status in VOTES and status != unit.consent_status
    return unit_record_consent(unit=unit, status=status, recorded_by=actor, confirmed=confirmed, change_reason="改")


@pytest.mark.django_db
def test_totals_equal_a_fresh_count_after_any_sequence_of_writes(world):
    """Property-style: 120 random consents, payments, corrections and imports (a fixed seed),
    owners with several units among them; after each, the stored totals equal a fresh count."""
    rng = random.Random(20261203)
    campaign = make_campaign(world, rate_per_m2=Decimal("12.35"))
    rows = [
        (f"{100 + i}", 1 + i // 4, f"{rng.randint(4000, 12000) / 100:.2f}", f"业主K{i % 9}", "", f"K{i % 9}")
        for i in range(14)
    ]
    import_roll(campaign, data=roll_csv(rows))
    assert_matches_a_fresh_count(campaign)
    added = 14
    for step in range(120):
        units = list(campaign.units.select_related("campaign"))
        unit = rng.choice(units)
        action = rng.random()
        if action < 0.5:
            record(unit, rng.choice(ANSWERS), world.alice)
        elif action < 0.75 and unit.outstanding > 0:
            amount = min(unit.outstanding, Decimal(rng.randint(1, 150000)) / 100)
            payment_record(unit=unit, amount=amount, paid_on=date.today(), channel="cash", recorded_by=world.alice)
        elif action < 0.85 and (payment := Payment.objects.filter(unit=unit, corrects=None).first()):
            left = payment.amount + sum(payment.corrections.values_list("amount", flat=True))
            if left > 0:
                payment_correct(payment=payment, amount=left, reason="记错", recorded_by=world.alice)
        elif action < 0.95 and not unit.payments.exists():
            unit_correct(
                unit=unit,
                floor=unit.floor,
                area_m2=Decimal(rng.randint(3000, 15000)) / 100,
                owner_name=unit.owner_name,
                owner_phone=unit.owner_phone,
                reason="测绘更正",
                changed_by=world.alice,
            )
        elif added < 24:
            key = f"K{rng.randint(0, 12)}"
            import_roll(campaign, data=roll_csv([(f"9{added:02d}", 9, "66.60", f"业主{key}", "", key)]))
            added += 1
        assert_matches_a_fresh_count(campaign)
    assert CampaignTally.objects.get(pk=campaign.pk).units == campaign.units.count() == added


@pytest.mark.django_db
def test_the_decision_flips_exactly_when_the_threshold_is_crossed(world):
    """Art. 278, four owners of equal area: two agreeing is not 2/3 taking part; the third is."""
    campaign = make_campaign(world)
    units = add_units(campaign, 4)
    for unit, expected in zip(units[:3], [False, False, True], strict=True):
        record(unit, ConsentStatus.AGREE, world.alice)
        assert CampaignTally.objects.get(pk=campaign.pk).passes is expected
    # A refusal by the fourth: 3 of 4 agreeing is exactly 3/4 of those taking part, still passes.
    record(units[3], ConsentStatus.REFUSE, world.alice)
    assert CampaignTally.objects.get(pk=campaign.pk).passes is True
    # One agreeing owner changes their mind: 2 of 4 is below 3/4.
    unit = campaign.units.get(pk=units[0].pk)
    record(unit, ConsentStatus.REFUSE, world.alice)
    assert CampaignTally.objects.get(pk=campaign.pk).passes is False
    assert_matches_a_fresh_count(campaign)


@pytest.mark.django_db
def test_one_owner_of_two_units_counts_once_and_agrees_only_with_both(world):
    campaign = make_campaign(world, rule_set=RuleSet.LEGACY_2_3)
    import_roll(campaign, data=roll_csv([("101", 1, "100.00", "甲", "", "A"), ("102", 1, "100.00", "甲", "", "A")]))
    import_roll(campaign, data=roll_csv([("201", 2, "100.00", "乙", "", "B")]))
    first, second, third = campaign.units.order_by("label")
    record(first, ConsentStatus.AGREE, world.alice)
    record(third, ConsentStatus.AGREE, world.alice)
    stored = CampaignTally.objects.get(pk=campaign.pk)
    assert (stored.owners, stored.agree_owners, stored.passes) == (2, 1, False)
    record(second, ConsentStatus.AGREE, world.alice)
    stored = CampaignTally.objects.get(pk=campaign.pk)
    assert (stored.owners, stored.agree_owners, stored.passes) == (2, 2, True)


@pytest.mark.django_db
def test_the_database_refuses_totals_that_cannot_be(world):
    campaign = make_campaign(world)
    add_units(campaign, 2)
    rows = CampaignTally.objects.filter(pk=campaign.pk)
    for broken in (
        {"collected": F("total_due") + 1},  # more collected than is due
        {"agree_units": F("agree_units") + 1},  # the counts no longer add up to the units
        {"agree_owners": F("owners") + 1},  # more agreeing owners than owners
        {"pending_area": -1, "total_area": F("total_area") - F("pending_area") - 1},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            rows.update(**broken)


@pytest.mark.django_db
def test_check_campaign_totals_finds_and_fixes_a_tampered_total(world, capsys):
    campaign = make_campaign(world)
    units = add_units(campaign, 3)
    record(units[0], ConsentStatus.AGREE, world.alice)
    call_command("check_campaign_totals")
    assert "All campaign totals match" in capsys.readouterr().out
    # Someone edits the table by hand: one more "agree", one fewer "pending".
    CampaignTally.objects.filter(pk=campaign.pk).update(
        agree_units=F("agree_units") + 1, pending_units=F("pending_units") - 1
    )
    with pytest.raises(CommandError, match="1 campaign"):
        call_command("check_campaign_totals")
    out = capsys.readouterr().out
    assert f"campaign {campaign.pk}: agree_units stored 2, counted 1" in out
    assert f"campaign {campaign.pk}: pending_units stored 1, counted 2" in out
    call_command("check_campaign_totals", "--fix")
    assert f"campaign {campaign.pk}: fixed" in capsys.readouterr().out
    assert_matches_a_fresh_count(campaign)
    call_command("check_campaign_totals")
    assert "All campaign totals match" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_campaign_without_stored_totals_is_counted_on_its_first_write(world):
    campaign = make_campaign(world)
    units = add_units(campaign, 3)
    CampaignTally.objects.filter(pk=campaign.pk).delete()
    campaign.refresh_from_db()
    assert campaign_decision(campaign).unit_counts["pending"] == 3  # counted on the fly, not stored
    record(units[0], ConsentStatus.AGREE, world.alice)
    assert_matches_a_fresh_count(campaign)


def _units_queries(captured) -> list[str]:
    return [q["sql"] for q in captured if 'FROM "funds_unit"' in q["sql"]]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["campaign", "units", "collection", "notice"])
def test_pages_read_the_stored_totals_not_the_roll(world, client, name):
    """Pinned at two sizes (3 and 60 units): the same number of queries, and none of them
    sums the roll (the roll page reads its 50 rows, the collection page its unpaid units)."""
    campaign = make_campaign(world)
    notice_publish(campaign=campaign, actor=world.alice)
    client.force_login(world.alice)
    url = reverse(f"funds:{name}", args=[campaign.pk])
    counts = []
    for size in (3, 60):
        units = add_units(campaign, size - campaign.units.count(), start=campaign.units.count())
        for unit in units[:2]:
            record(campaign.units.get(pk=unit.pk), ConsentStatus.REFUSE, world.alice)
        cache.clear()
        client.get(url)  # the margin found once for these totals, then cached
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(captured))
        unit_reads = _units_queries(captured.captured_queries)
        if name in ("campaign", "notice"):
            assert unit_reads == []
        else:
            assert all("LIMIT" in sql or "COUNT(*)" in sql or "paid_total" in sql for sql in unit_reads), unit_reads
    assert counts[0] == counts[1]
    assert response.context["decision" if name != "collection" else "collection"] is not None


@pytest.mark.django_db(transaction=True)
def test_two_volunteers_recording_at_once_are_both_counted(world, monkeypatch):
    campaign = make_campaign(world)
    first, second = add_units(campaign, 2)
    outcomes = race(
        monkeypatch,
        [
            lambda: unit_record_consent(unit=first, status=ConsentStatus.AGREE, recorded_by=world.alice),
            lambda: unit_record_consent(unit=second, status=ConsentStatus.AGREE, recorded_by=world.carl),
        ],
        inside=(tally_services, "_lock"),
    )
    assert outcomes == ["done", "done"]
    stored = CampaignTally.objects.get(pk=campaign.pk)
    assert (stored.agree_units, stored.pending_units, stored.agree_owners) == (2, 0, 2)
    assert stored.passes
    assert_matches_a_fresh_count(campaign)
