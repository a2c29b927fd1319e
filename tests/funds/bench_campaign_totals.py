"""Benchmark (not collected by the suite: name it to run it): the campaign page and the public
notice at 2,000 units, totals recomputed from the roll (before) against the stored ones (now).

    DJANGO_SETTINGS_MODULE=config.test_settings .venv/bin/python -m pytest -q -s -p no:cacheprovider \
        tests/funds/bench_campaign_totals.py

Prints the median CPU time (``time.process_time``) and wall time of 7 test-client requests
each; docs/performance.md keeps the figures. No assertion on time (a shared machine).
"""

import random
import statistics
import time
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from funds import views
from funds.decision import decide_campaign
from funds.models import Unit
from funds.progress import collection_of
from funds.services.tallies import campaign_tally_recompute
from tests.funds.conftest import import_roll, make_campaign, roll_csv

UNITS = 2000
RUNS = 7
# Shares of the roll by answer: a campaign that passes (no margin to find) and one a few dozen
# owners short of passing, with unreachable owners and owners of two units answering
# differently (the margin's search is then at its slowest).
SCENARIOS = {
    "passes": (("agree", 0.72), ("refuse", 0.08), ("abstain", 0.04)),
    "short": (("agree", 0.55), ("refuse", 0.12), ("abstain", 0.05), ("unreachable", 0.05)),
}


def _roll(campaign, shares):
    rng = random.Random(16)
    rows = []
    for i in range(UNITS):
        owner = i if i % 10 else i - 1  # every tenth owner has two units
        area = f"{rng.randint(5000, 14000) / 100:.2f}"
        rows.append((f"{1 + i // 20}{i % 20 + 1:02d}", 1 + i // 20, area, f"业主{owner}", "", f"K{owner}"))
    import_roll(campaign, data=roll_csv(rows))
    pks = list(campaign.units.order_by("pk").values_list("pk", flat=True))
    # Setting up the roll fast: answers and money written in bulk, then the totals counted.
    for status, share in shares:
        chosen = rng.sample(pks, int(share * len(pks)))
        Unit.objects.filter(pk__in=chosen, consent_status="pending").update(consent_status=status)
    Unit.objects.filter(pk__in=rng.sample(pks, UNITS // 3)).update(paid_total=Decimal("100.00"))
    campaign_tally_recompute(campaign=campaign)


def _time(client, url, before_each=None) -> tuple[float, float]:
    cpu, wall = [], []
    for _ in range(RUNS):
        if before_each:
            before_each()
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        assert client.get(url).status_code == 200
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
    return statistics.median(cpu) * 1000, statistics.median(wall) * 1000


@pytest.mark.django_db
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_bench(world, client, monkeypatch, scenario):
    campaign = make_campaign(world)
    _roll(campaign, SCENARIOS[scenario])
    client.force_login(world.alice)  # a manager: the notice preview, not the page cache
    pages = {name: reverse(f"funds:{name}", args=[campaign.pk]) for name in ("campaign", "notice")}
    for url in pages.values():
        client.get(url)
    results = {}
    for name, url in pages.items():
        results[(name, "now, margin cached")] = _time(client, url)
        results[(name, "now, first view after a change")] = _time(client, url, before_each=cache.clear)
    # Before: the decision and the collection recomputed from the roll on every view.
    old_decision = lambda campaign, **kwargs: decide_campaign(campaign)  # noqa: E731
    for module in (views.campaigns, views.notice):
        monkeypatch.setattr(module, "campaign_decision", old_decision)
        monkeypatch.setattr(module, "campaign_collection", collection_of)
    for name, url in pages.items():
        results[(name, "before (recomputed per view)")] = _time(client, url)
    print()
    for (name, how), (cpu, wall) in results.items():
        print(f"{scenario:6} {name:9} {how:32} cpu {cpu:7.1f} ms   wall {wall:7.1f} ms")
