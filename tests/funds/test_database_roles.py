"""The database defends the money (issue 13, item 8): as the app's own role, the money log
cannot be truncated, the triggers cannot be silenced or disabled, and a paid payout cannot
be rewritten; the app's services still work as that role.

The two roles are made by ``config.db_roles.setup_roles`` (what ``manage.py db_roles`` and
the quick start run) on this test database, inside the test's transaction (roles and grants
are transactional in PostgreSQL, so nothing outlives the test), and the test then acts as
the app role with ``SET ROLE``.
"""

import uuid
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from config.db_roles import setup_roles
from funds.models import MoneyEvent, Payment, Payout, PayoutKind, PayoutState
from funds.services.payouts import payout_approve, payout_mark_paid, payout_propose
from tests.funds.conftest import add_units, make_campaign
from tests.funds.test_acceptance import award_for


@pytest.fixture
def as_app_role(db):
    """Switch this connection to a fresh least-privileged app role (and back afterwards)."""
    suffix = uuid.uuid4().hex[:8]
    owner, app = f"t_owner_{suffix}", f"t_app_{suffix}"
    with connection.cursor() as cursor:
        # Tables cannot change owner with foreign-key checks still pending: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        setup_roles(cursor, database=connection.settings_dict["NAME"], owner=owner, app=app)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(f'SET ROLE "{app}"')
    yield app
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def refused(statement: str, params=()) -> bool:
    """Whether PostgreSQL refuses the statement (the test goes on in a fresh savepoint)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, params)
    except DatabaseError:
        return True
    return False


@pytest.fixture
def paid_payout(world):
    award = award_for(world)
    payout = payout_propose(award=award, actor=world.alice, kind=PayoutKind.CULTURE_FUND)
    payout_approve(payout=payout, actor=world.fay)
    return payout_mark_paid(payout=payout, actor=world.fay, paid_on=timezone.localdate(), reference="BANK-1")


def test_as_the_app_role_the_money_log_and_paid_money_cannot_be_got_round(world, paid_payout, as_app_role):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)")
        assert cursor.fetchone() == (as_app_role, False)
    events = MoneyEvent.objects.count()
    assert events > 0
    assert refused("TRUNCATE funds_moneyevent")
    assert refused("TRUNCATE funds_moneyevent CASCADE")
    assert refused("SET session_replication_role = replica")
    assert refused("ALTER TABLE funds_moneyevent DISABLE TRIGGER ALL")
    assert refused("ALTER TABLE funds_moneyevent DISABLE TRIGGER funds_moneyevent_append_only")
    assert refused("DROP TRIGGER funds_moneyevent_append_only ON funds_moneyevent")
    assert refused("UPDATE funds_moneyevent SET amount = 0")
    assert refused("DELETE FROM funds_moneyevent")
    assert refused("UPDATE funds_payout SET amount = 1 WHERE id = %s", [paid_payout.pk])
    assert refused("UPDATE funds_payout SET paid_reference = 'X' WHERE id = %s", [paid_payout.pk])
    assert refused("DELETE FROM funds_payout WHERE id = %s", [paid_payout.pk])
    assert refused("ALTER TABLE funds_payout DISABLE TRIGGER ALL")
    assert refused("CREATE TABLE funds_sneaky (id int)")
    assert MoneyEvent.objects.count() == events
    paid = Payout.objects.get(pk=paid_payout.pk)
    assert (paid.amount, paid.state, paid.paid_reference) == (Decimal("2000.00"), PayoutState.PAID, "BANK-1")


def test_the_app_role_still_does_the_apps_work(world, as_app_role):
    # Propose, approve and pay a payout, and record an owner's payment, all as the app role.
    award = award_for(world)
    payout = payout_propose(award=award, actor=world.alice, kind=PayoutKind.CULTURE_FUND)
    payout_approve(payout=payout, actor=world.fay)
    payout = payout_mark_paid(payout=payout, actor=world.fay, paid_on=timezone.localdate(), reference="B-2")
    assert payout.state == PayoutState.PAID
    campaign = make_campaign(world)
    unit = add_units(campaign, 1)[0]
    from funds.services.payments import payment_record

    payment_record(
        unit=unit, amount=Decimal("10.00"), paid_on=timezone.localdate(), channel="cash", recorded_by=world.alice
    )
    assert Payment.objects.count() == 1


def test_paid_money_is_immutable_even_for_the_tables_owner(world, paid_payout):
    # The triggers hold whoever writes (here the test's own, privileged connection).
    campaign = make_campaign(world)
    unit = add_units(campaign, 1)[0]
    from funds.services.payments import payment_record

    payment = payment_record(
        unit=unit, amount=Decimal("10.00"), paid_on=timezone.localdate(), channel="cash", recorded_by=world.alice
    )
    assert refused("UPDATE funds_payout SET amount = 1 WHERE id = %s", [paid_payout.pk])
    assert refused("UPDATE funds_payment SET amount = 1 WHERE id = %s", [payment.pk])
    assert refused("DELETE FROM funds_payment WHERE id = %s", [payment.pk])
    # An unpaid payout may still move (the workflow writes its state).
    award = paid_payout.award
    assert not refused("UPDATE funds_payout SET note = 'x' WHERE id = %s", [paid_payout.pk])  # not a money field
    assert award.pk


def test_setting_up_the_roles_twice_changes_nothing_more(db):
    suffix = uuid.uuid4().hex[:8]
    with connection.cursor() as cursor:
        for _ in range(2):
            setup_roles(
                cursor, database=connection.settings_dict["NAME"], owner=f"t_owner_{suffix}", app=f"t_app_{suffix}"
            )
        cursor.execute(
            "SELECT privilege_type FROM information_schema.role_table_grants"
            " WHERE grantee = %s AND table_name = 'funds_moneyevent' ORDER BY 1",
            [f"t_app_{suffix}"],
        )
        assert [row[0] for row in cursor.fetchall()] == ["INSERT", "SELECT"]
        cursor.execute("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'funds_payout'")
        assert cursor.fetchone()[0] == f"t_owner_{suffix}"
