"""Benchmark (not collected by the suite: name it to run it): the door-to-door margin's search
on the 2,000-unit "short of passing" roll of bench_campaign_totals.py, the exhaustive search it
replaced (kept in test_margin_search.py as the reference) against the current one.

    DJANGO_SETTINGS_MODULE=config.test_settings .venv/bin/python -m pytest -q -s -p no:cacheprovider \\
        tests/funds/bench_margin.py

Prints CPU time (``time.process_time``) and, for the current search, the checks it made;
docs/performance.md keeps the figures. No assertion on time (a shared machine).
"""

import time

import pytest

from funds.decision import MIXED_EXACT, Visit, candidates_of, search_margin
from funds.models import RuleSet
from tests.funds.test_margin_search import bench_short_roll, proposed, reference_find_margin


@pytest.mark.parametrize("two_units_every", [10, 6])
@pytest.mark.parametrize("rule_set", [RuleSet.CIVIL_CODE_278, RuleSet.LEGACY_2_3])
def test_bench(rule_set, two_units_every):
    entries = bench_short_roll(two_units_every)
    mixed = sum(1 for c in candidates_of(entries) if c.kind == Visit.PERSUADE and c.joins)
    start = time.process_time()
    margin, checks = search_margin(entries, rule_set)
    now = time.process_time() - start
    start = time.process_time()
    before = reference_find_margin(entries, rule_set)
    then = time.process_time() - start
    assert proposed(margin) == proposed(before)
    print(
        f"\n{rule_set:15} two units every {two_units_every:2}: {mixed} mixed owners (exact up to {MIXED_EXACT}), "
        f"margin {margin.owners}: before {then * 1000:,.0f} ms CPU, now {now * 1000:,.0f} ms CPU ({checks:,} checks)"
    )
