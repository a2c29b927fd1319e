"""Funds fixtures on top of the shared personas (tests/conftest.py).

The campaign is on g1's building, in N1: alice (street staff) and carl (committee of N1)
manage it; leo (leader of g1) and rita (representative of N1) see it masked; bob, cindy,
lena and otto do not see it at all.
"""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from funds.services.campaigns import campaign_create
from funds.services.units import units_import


def make_campaign(world, **overrides):
    values = {
        "building": world.g1.building,
        "purpose": "更换电梯",
        "works_cost": Decimal("895000.00"),
        "fund_balance": Decimal("856000.00"),
        "initial_fund": Decimal("413333.33"),
        "rate_per_m2": Decimal("15.00"),
        "collector": "物业公司",
        "supervisor": "业主委员会",
        "created_by": world.alice,
    }
    values.update(overrides)
    return campaign_create(**values)


def import_roll(campaign, *, data: bytes, filename: str = "roll.csv", actor=None) -> int:
    """Import a roll file's bytes as an upload named ``filename``, by the campaign's opener."""
    return units_import(campaign=campaign, actor=actor or campaign.created_by, file=ContentFile(data, name=filename))


def roll_csv(rows) -> bytes:
    lines = ["unit,floor,area,owner name,phone,owner key"]
    lines += [",".join(str(v) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def add_units(campaign, count: int, *, start: int = 0):
    rows = [
        (f"{1 + i // 4}{i % 4 + 1:02d}", 1 + i // 4, "100.00", f"欧阳{i}号", f"1381234{i:04d}", f"K{i}")
        for i in range(start, start + count)
    ]
    import_roll(campaign, data=roll_csv(rows), filename="roll.csv")
    return list(campaign.units.order_by("floor", "label"))


@pytest.fixture
def campaign(world):
    return make_campaign(world)
