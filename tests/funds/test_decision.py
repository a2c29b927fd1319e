"""The decision calculator against a brute-force reference, at the exact thresholds."""

from decimal import Decimal
from fractions import Fraction
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from funds.decision import HALF, Condition, RollEntry, decide, decide_use
from funds.models import ConsentStatus, RuleSet

S = ConsentStatus
RULES = [RuleSet.CIVIL_CODE_278, RuleSet.LEGACY_2_3]


def roll(*units):
    """units: (area, owner_key, status)."""
    return [RollEntry(f"u{i}", 1 + i // 4, Decimal(str(a)), key, status) for i, (a, key, status) in enumerate(units)]


def reference(entries, rule_set):
    """Written independently from the definitions in funds/decision.py's docstring."""
    owners = {}
    for e in entries:
        owners.setdefault(e.owner_key, set()).add(e.status)
    took_part = {S.AGREE, S.REFUSE, S.ABSTAIN}
    heads = len(owners)
    part_heads = len([k for k, sts in owners.items() if sts <= took_part])
    agree_heads = len([k for k, sts in owners.items() if sts == {S.AGREE}])
    area = sum((Fraction(e.area) for e in entries), Fraction(0))
    part_area = sum((Fraction(e.area) for e in entries if e.status in took_part), Fraction(0))
    agree_area = sum((Fraction(e.area) for e in entries if e.status == S.AGREE), Fraction(0))

    def ok(num, den, a, b):  # num/den >= a/b, inclusive, with an empty base failing
        return den > 0 and num * b >= den * a

    if rule_set == RuleSet.LEGACY_2_3:
        return {"agree_area": ok(agree_area, area, 2, 3), "agree_heads": ok(agree_heads, heads, 2, 3)}
    return {
        "part_area": ok(part_area, area, 2, 3),
        "part_heads": ok(part_heads, heads, 2, 3),
        "agree_area": ok(agree_area, part_area, 3, 4),
        "agree_heads": ok(agree_heads, part_heads, 3, 4),
    }


def passes(entries, rule_set):
    return all(reference(entries, rule_set).values())


unit_strategy = st.tuples(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("300.00"), places=2),
    st.sampled_from(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"]),
    st.sampled_from(list(S)),
)


@settings(max_examples=300, deadline=None)
@given(units=st.lists(unit_strategy, min_size=0, max_size=14), rule_set=st.sampled_from(RULES))
def test_matches_brute_force_reference(units, rule_set):
    entries = roll(*units)
    decision = decide(entries, rule_set)
    expected = reference(entries, rule_set)
    assert {c.key: c.passed for c in decision.conditions} == expected
    assert decision.passed == all(expected.values())


def owner_kind(units):
    """Written independently: persuade whoever refused or abstained anywhere; unreachable if any unit is; else reach."""
    statuses = {e.status for e in units if e.status != S.AGREE}
    if statuses & {S.REFUSE, S.ABSTAIN}:
        return "persuade"
    return "unreachable" if S.UNREACHABLE in statuses else "reach"


def reference_margin(entries, rule_set):
    """Brute force over every set of owners not yet all-agreeing: each set's owners agree on
    all their units; the best is the smallest, then the fewest unreachable, then the fewest
    to persuade. Returns (size, unreachable, persuade), or None if nothing passes."""
    owners = {}
    for e in entries:
        owners.setdefault(e.owner_key, []).append(e)
    open_owners = [k for k, units in owners.items() if any(e.status != S.AGREE for e in units)]
    best = None
    for size in range(len(open_owners) + 1):
        for chosen in combinations(open_owners, size):
            flipped = [
                RollEntry(e.label, e.floor, e.area, e.owner_key, S.AGREE if e.owner_key in chosen else e.status)
                for e in entries
            ]
            if passes(flipped, rule_set):
                kinds = [owner_kind(owners[k]) for k in chosen]
                score = (size, kinds.count("unreachable"), kinds.count("persuade"))
                best = score if best is None else min(best, score)
        if best is not None:
            return best
    return None


@settings(max_examples=200, deadline=None)
@given(units=st.lists(unit_strategy, min_size=1, max_size=12), rule_set=st.sampled_from(RULES))
def test_margin_is_the_fewest_owners_and_really_closes_it(units, rule_set):
    entries = roll(*units)
    decision = decide(entries, rule_set)
    if decision.passed:
        assert decision.margin is None and decision.closing_units == []
        assert decision.need_heads == 0 and decision.need_area == 0
        return
    margin = decision.margin
    expected = reference_margin(entries, rule_set)
    assert expected is not None  # everyone agreeing passes any non-empty roll
    assert (margin.owners, len(margin.unreachable), len(margin.persuade)) == expected
    won = {c.key for group in (margin.reach, margin.persuade, margin.unreachable) for c in group}
    flipped = [
        RollEntry(e.label, e.floor, e.area, e.owner_key, S.AGREE if e.owner_key in won else e.status) for e in entries
    ]
    assert passes(flipped, rule_set)
    owners = {}
    for e in entries:
        owners.setdefault(e.owner_key, []).append(e)
    for kind, group in (("reach", margin.reach), ("persuade", margin.persuade), ("unreachable", margin.unreachable)):
        assert all(owner_kind(owners[c.key]) == kind for c in group)
    assert [e.floor for e in decision.closing_units] == sorted(e.floor for e in decision.closing_units)
    assert {e.label for e in decision.closing_units} == {e.label for k in won for e in owners[k] if e.status != S.AGREE}


def test_nine_voted_six_agree_needs_one_refuser_persuaded():
    # The case: 9 of 9 owners voted, 6 agree (6/9 < 3/4). One convert passes it
    # (7/9 ≥ 3/4); "3 more owners taking part and agreeing" was wrong.
    entries = roll(*[(100, f"o{i}", S.AGREE) for i in range(6)], *[(100, f"r{i}", S.REFUSE) for i in range(3)])
    margin = decide(entries).margin
    assert (margin.owners, len(margin.persuade), len(margin.reach)) == (1, 1, 0)
    assert margin.persuade_units[0].status == S.REFUSE


def test_a_reachable_pending_owner_comes_before_one_abroad():
    # Either would close it (same area): the pending one is proposed, never the one abroad.
    entries = roll((100, "a", S.AGREE), (100, "b", S.AGREE), (100, "c", S.UNREACHABLE), (100, "d", S.PENDING))
    margin = decide(entries).margin
    assert margin.owners == 1 and [e.label for e in margin.reach_units] == ["u3"] and not margin.unreachable
    # Only when the one abroad is the one that closes it is it named (the pending unit is too small).
    entries = roll((100, "a", S.AGREE), (100, "b", S.AGREE), (300, "c", S.UNREACHABLE), (1, "d", S.PENDING))
    margin = decide(entries).margin
    assert margin.owners == 1 and [e.label for e in margin.unreachable_units] == ["u2"]


def test_the_arithmetic_names_the_smallest_value_that_meets_each_threshold():
    entries = roll(*[(100, f"o{i}", S.AGREE) for i in range(6)], *[(100, f"r{i}", S.REFUSE) for i in range(3)])
    c = {c.key: c for c in decide(entries).conditions}
    assert (c["agree_heads"].value_number, c["agree_heads"].threshold_label, c["agree_heads"].required_number) == (
        6,
        "3/4",
        7,
    )
    assert c["agree_area"].required_number == Decimal("675.00")
    use = {c.key: c for c in decide_use(entries).conditions}
    assert use["use_heads"].required_number == 5  # more than half of 9: 5


def _need_ok(rule_set, total, part, agree, x):
    if rule_set == RuleSet.LEGACY_2_3:
        return 3 * (agree + x) >= 2 * total
    return 3 * (part + x) >= 2 * total and 4 * (agree + x) >= 3 * (part + x)


@settings(max_examples=200, deadline=None)
@given(units=st.lists(unit_strategy, min_size=1, max_size=12), rule_set=st.sampled_from(RULES))
def test_needed_heads_is_the_smallest_that_works(units, rule_set):
    t = decide(roll(*units), rule_set)
    n, tally = t.need_heads, t.tally
    assert _need_ok(rule_set, tally.total_heads, tally.part_heads, tally.agree_heads, n)
    if n > 0:
        assert not _need_ok(rule_set, tally.total_heads, tally.part_heads, tally.agree_heads, n - 1)
    area = Fraction(t.need_area)
    assert _need_ok(rule_set, tally.total_area, tally.part_area, tally.agree_area, area)
    if area > 0:
        assert not _need_ok(rule_set, tally.total_area, tally.part_area, tally.agree_area, area - Fraction(1, 100))


def test_two_thirds_participation_is_inclusive():
    # 3 equal owners: 2 take part (exactly 2/3) and both agree.
    entries = roll((100, "a", S.AGREE), (100, "b", S.AGREE), (100, "c", S.PENDING))
    assert decide(entries).passed
    # One fen less of participating area: fails on area only.
    entries = roll((100, "a", S.AGREE), ("99.99", "b", S.AGREE), ("100.01", "c", S.PENDING))
    decision = decide(entries)
    assert not decision.passed
    assert {c.key for c in decision.conditions if not c.passed} == {"part_area"}
    assert decision.need_area == Decimal("0.01")
    assert [e.label for e in decision.closing_units] == ["u2"]


def test_three_quarters_agreement_is_inclusive():
    # 4 participate, 3 agree: exactly 3/4.
    entries = roll((50, "a", S.AGREE), (50, "b", S.AGREE), (50, "c", S.AGREE), (50, "d", S.REFUSE))
    assert decide(entries).passed
    entries = roll((50, "a", S.AGREE), (50, "b", S.AGREE), ("49.99", "c", S.AGREE), ("50.01", "d", S.REFUSE))
    decision = decide(entries)
    assert {c.key for c in decision.conditions if not c.passed} == {"agree_area"}
    # Nobody pending: the refusal has to be revisited.
    assert decision.margin.owners == 1 and [e.label for e in decision.margin.persuade_units] == ["u3"]


def test_legacy_rule_counts_all_owners():
    # 2 of 3 agree, the third abstains: legacy passes at exactly 2/3.
    entries = roll((100, "a", S.AGREE), (100, "b", S.AGREE), (100, "c", S.ABSTAIN))
    assert decide(entries, RuleSet.LEGACY_2_3).passed
    # Civil Code: all 3 took part but only 2/3 < 3/4 agree.
    assert not decide(entries, RuleSet.CIVIL_CODE_278).passed


def test_owner_of_several_units_counts_once():
    entries = roll(
        (100, "big", S.AGREE), (100, "big", S.AGREE), (100, "big", S.AGREE), (100, "x", S.REFUSE), (100, "y", S.PENDING)
    )
    decision = decide(entries)
    assert decision.tally.total_heads == 3
    assert decision.tally.agree_heads == 1
    assert decision.tally.part_heads == 2
    # Area 300/400 participating-agree = 3/4, but heads 1/2 agree < 3/4.
    assert {c.key for c in decision.conditions if not c.passed} == {"agree_heads"}


def test_owner_with_mixed_units_agrees_only_when_all_agree():
    entries = roll((100, "m", S.AGREE), (100, "m", S.PENDING), (100, "n", S.AGREE))
    decision = decide(entries)
    assert decision.tally.part_heads == 1  # "m" has not finished taking part
    assert decision.tally.agree_heads == 1
    entries = roll((100, "m", S.AGREE), (100, "m", S.REFUSE), (100, "n", S.AGREE))
    decision = decide(entries)
    assert decision.tally.part_heads == 2
    assert decision.tally.agree_heads == 1


def test_empty_roll_does_not_pass():
    decision = decide([])
    assert not decision.passed
    assert not decision.closable


# --- Using the fund: art. 278, more than half of the participants (strictly) ---------


def use_reference(entries, rule_set):
    """Independent reference: 2/3 take part (inclusive), then agree > 1/2 of participants (strict)."""
    if rule_set == RuleSet.LEGACY_2_3:
        return reference(entries, rule_set)
    took_part = {S.AGREE, S.REFUSE, S.ABSTAIN}
    owners = {}
    for e in entries:
        owners.setdefault(e.owner_key, set()).add(e.status)
    part_heads = len([k for k, sts in owners.items() if sts <= took_part])
    agree_heads = len([k for k, sts in owners.items() if sts == {S.AGREE}])
    part_area = sum((Fraction(e.area) for e in entries if e.status in took_part), Fraction(0))
    agree_area = sum((Fraction(e.area) for e in entries if e.status == S.AGREE), Fraction(0))
    base = reference(entries, rule_set)
    return {
        "part_area": base["part_area"],
        "part_heads": base["part_heads"],
        "use_area": part_area > 0 and 2 * agree_area > part_area,
        "use_heads": part_heads > 0 and 2 * agree_heads > part_heads,
    }


@settings(max_examples=300, deadline=None)
@given(units=st.lists(unit_strategy, min_size=0, max_size=14), rule_set=st.sampled_from(RULES))
def test_use_matches_brute_force_reference(units, rule_set):
    entries = roll(*units)
    use = decide_use(entries, rule_set)
    expected = use_reference(entries, rule_set)
    assert {c.key: c.passed for c in use.conditions} == expected
    assert use.passed == all(expected.values())
    # Raising needs 3/4, using more than 1/2 of the same participants: raising implies using.
    if decide(entries, rule_set).passed:
        assert use.passed


def test_use_exactly_half_fails():
    # All 4 take part; 2 of 4 owners and exactly half the area agree: not "more than half".
    entries = roll((50, "a", S.AGREE), (50, "b", S.AGREE), (50, "c", S.REFUSE), (50, "d", S.ABSTAIN))
    use = decide_use(entries)
    assert not use.passed
    assert {c.key for c in use.conditions if not c.passed} == {"use_area", "use_heads"}
    assert all(c.strict for c in use.conditions if c.key.startswith("use_"))
    assert [c.comparator for c in use.conditions] == ["≥", "≥", ">", ">"]


def test_use_one_fen_more_than_half_passes_on_area():
    entries = roll(("50.01", "a", S.AGREE), ("49.99", "b", S.REFUSE))
    use = decide_use(entries)
    assert {c.key: c.passed for c in use.conditions}["use_area"]
    assert not {c.key: c.passed for c in use.conditions}["use_heads"]  # 1 of 2 heads is exactly half
    entries = roll(("50.01", "a", S.AGREE), ("49.99", "b", S.REFUSE), (10, "c", S.AGREE))
    assert decide_use(entries).passed  # 2 of 3 heads, 60.01 of 110 m²


def test_use_needs_two_thirds_participation_too():
    # Everyone taking part agrees, but only half the owners took part.
    entries = roll((100, "a", S.AGREE), (100, "b", S.PENDING))
    use = decide_use(entries)
    assert {c.key for c in use.conditions if not c.passed} == {"part_area", "part_heads"}


def test_use_passes_where_raising_does_not():
    # 3 agree, 2 refuse: 60% — enough to use (> 1/2), not to raise (< 3/4).
    entries = roll(*[(100, k, S.AGREE) for k in "abc"], *[(100, k, S.REFUSE) for k in "de"])
    assert decide_use(entries).passed
    assert not decide(entries).passed


def test_use_under_the_legacy_rule_is_the_same_two_thirds():
    entries = roll((100, "a", S.AGREE), (100, "b", S.AGREE), (100, "c", S.ABSTAIN))
    use = decide_use(entries, RuleSet.LEGACY_2_3)
    assert use.passed and [c.key for c in use.conditions] == ["agree_area", "agree_heads"]


def test_use_of_an_empty_roll_does_not_pass():
    assert not decide_use([]).passed


# --- Percentages on the page: never contradicting the verdict --------------------------------


def _condition(value, base, threshold, *, strict=False) -> Condition:
    share = Fraction(value) / Fraction(base)
    passed = share > threshold if strict else share >= threshold
    return Condition("k", "k", Fraction(value), Fraction(base), threshold, passed, is_area=False, strict=strict)


def test_a_share_just_below_two_thirds_never_shows_as_two_thirds():
    failing = _condition(666666, 1000000, Fraction(2, 3))  # 66.6666%
    assert not failing.passed
    assert (failing.percent, failing.threshold_percent) == (Decimal("66.66"), Decimal("66.67"))
    assert failing.percent < failing.threshold_percent
    exactly = _condition(2, 3, Fraction(2, 3))
    assert exactly.passed and exactly.percent == Decimal("66.67") == exactly.threshold_percent
    above = _condition(666667, 1000000, Fraction(2, 3))  # 66.6667%: passes, shows 66.67%
    assert above.passed and above.percent == Decimal("66.67")
    assert _condition(7, 10, Fraction(2, 3)).percent == Decimal("70.00")


def test_three_quarters_and_more_than_half_at_the_boundary():
    assert _condition(7499, 10000, Fraction(3, 4)).percent == Decimal("74.99")
    assert _condition(3, 4, Fraction(3, 4)).percent == Decimal("75.00")
    half = _condition(1, 2, HALF, strict=True)  # exactly half fails "more than half"
    assert (half.passed, half.percent, half.threshold_percent) == (False, Decimal("50.00"), Decimal("50.00"))
    just_over = _condition(500001, 1000000, HALF, strict=True)  # 50.0001%
    assert just_over.passed and just_over.percent == Decimal("50.01") > just_over.threshold_percent


def test_the_decision_shows_a_failing_participation_below_the_threshold():
    # 2 of 3 owners minus one fen of area take part: 66.66666…% of the area, not met
    # (rounded half-up, it would read 66.67% ≥ 66.67%).
    entries = roll((100000, "a", S.AGREE), ("99999.99", "b", S.AGREE), ("100000.01", "c", S.PENDING))
    part_area = next(c for c in decide(entries).conditions if c.key == "part_area")
    assert not part_area.passed
    assert f"{part_area.percent}% {part_area.comparator} {part_area.threshold_percent}%" == "66.66% ≥ 66.67%"
