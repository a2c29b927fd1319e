"""Payouts: four eyes (service, page, database), exactly once (culture fund, double submit),
the renovation limit, the year's budget, cancelling, the money log, and the pages with
fixed query counts. Concurrency is in test_payouts_concurrency.py."""

import io
import uuid
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from common.refusals import Refused
from corridors.models import Notification, Role
from corridors.services.people import role_assign
from corridors.services.programme import programme_year_update
from funds.models import MoneyEvent, Payout, PayoutKind, PayoutState
from funds.services.awards import award_revoke, award_suspend
from funds.services.payouts import (
    payout_approve,
    payout_cancel,
    payout_mark_paid,
    payout_propose,
    payout_receipts_add,
    payout_reject,
)
from tests import factories as f
from tests.factories import pdf_bytes
from tests.funds.test_acceptance import award_for, more_groups, ready_for_inspection

PDF = pdf_bytes()  # a real PDF: uploads are read with pypdf


def receipt(amount="100000.00"):
    """A receipt with the amount it shows (large enough for any claim in these tests)."""
    return ("pdf", ContentFile(PDF, name="r.pdf"), Decimal(amount))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def en_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def frank(world):
    """Street staff *and* finance approver of our street: may propose, and approve others' proposals."""
    user = f.UserFactory(username="frank")
    role_assign(user=user, role=Role.STREET_STAFF, street=world.street)
    role_assign(user=user, role=Role.FINANCE, street=world.street)
    return user


@pytest.fixture
def award(world):
    return award_for(world)


def culture(world, award, actor=None, **kwargs) -> Payout:
    return payout_propose(award=award, actor=actor or world.alice, kind=PayoutKind.CULTURE_FUND, **kwargs)


def log_of(payout) -> list[tuple[str, Decimal, str]]:
    events = MoneyEvent.objects.filter(subject_type="funds.payout", subject_id=payout.pk).order_by("pk")
    return [(e.kind, e.amount, e.actor.username) for e in events]


# --- The whole way, and the money log ----------------------------------------------------


def test_culture_fund_proposed_approved_paid_and_logged(world, award):
    payout = culture(world, award)
    assert payout.amount == Decimal("2000.00") and payout.state == PayoutState.PROPOSED
    payout = payout_approve(payout=payout, actor=world.fay, expected_state=PayoutState.PROPOSED)
    payout = payout_mark_paid(payout=payout, actor=world.fay, paid_on=timezone.localdate(), reference="BANK-001")
    award.refresh_from_db()
    assert payout.state == PayoutState.PAID and award.culture_fund_received == Decimal("2000.00")
    assert log_of(payout) == [
        (MoneyEvent.Kind.PAYOUT_PROPOSED, Decimal("2000.00"), "alice"),
        (MoneyEvent.Kind.PAYOUT_APPROVED, Decimal("2000.00"), "fay"),
        (MoneyEvent.Kind.PAYOUT_PAID, Decimal("2000.00"), "fay"),
    ]


def test_rejected_and_cancelled_are_logged_too(world, award):
    first = culture(world, award)
    payout_reject(payout=first, actor=world.fay, reason="材料不全")
    second = culture(world, award)  # a rejected payout no longer counts
    payout_cancel(payout=second, actor=world.alice, reason="重复提交")
    assert [k for k, *_ in log_of(first)] == [MoneyEvent.Kind.PAYOUT_PROPOSED, MoneyEvent.Kind.PAYOUT_REJECTED]
    assert [k for k, *_ in log_of(second)] == [MoneyEvent.Kind.PAYOUT_PROPOSED, MoneyEvent.Kind.PAYOUT_CANCELLED]


def test_the_money_log_refuses_update_and_delete_of_payout_events(world, award):
    payout = culture(world, award)
    event = MoneyEvent.objects.get(subject_type="funds.payout", subject_id=payout.pk)
    for statement in (
        "UPDATE funds_moneyevent SET amount = 1 WHERE id = %s",
        "DELETE FROM funds_moneyevent WHERE id = %s",
    ):
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    assert MoneyEvent.objects.get(pk=event.pk).amount == Decimal("2000.00")


# --- Four eyes ---------------------------------------------------------------------------


def test_the_proposer_cannot_approve_or_reject_in_the_service(world, award, frank):
    payout = culture(world, award, actor=frank)
    with pytest.raises(Refused, match="four eyes"):
        payout_approve(payout=payout, actor=frank)
    with pytest.raises(Refused):
        payout_reject(payout=payout, actor=frank, reason="x")
    payout.refresh_from_db()
    assert payout.state == PayoutState.PROPOSED and payout.approved_by is None
    # Someone else may; and frank may approve someone else's proposal.
    payout_approve(payout=payout, actor=world.fay)
    other = payout_propose(award=award, actor=world.alice, kind=PayoutKind.RENOVATION, amount=100, receipts=[receipt()])
    assert payout_approve(payout=other, actor=frank).approved_by == frank


@pytest.mark.parametrize("persona", ["alice", "bob", "leo", "carl", "nobody"])
def test_only_a_finance_approver_of_the_street_decides(world, award, persona):
    payout = culture(world, award)
    with pytest.raises(Refused, match="finance approver"):
        payout_approve(payout=payout, actor=getattr(world, persona))
    payout.refresh_from_db()
    assert payout.state == PayoutState.PROPOSED


def test_the_proposer_cannot_approve_through_the_page(world, award, frank, en_client):
    payout = culture(world, award, actor=frank)
    en_client.force_login(frank)
    page = en_client.get(payout.get_absolute_url()).content.decode()
    assert 'data-payout-action="approve"' not in page
    assert "a different finance approver must decide it" in page
    response = en_client.post(
        reverse("funds:payout_step", args=[payout.pk, "approve"]), {"state": PayoutState.PROPOSED}, follow=True
    )
    assert "four eyes" in response.content.decode()
    payout.refresh_from_db()
    assert payout.state == PayoutState.PROPOSED


def test_the_database_refuses_an_approval_by_the_proposer(world, award):
    payout = culture(world, award)
    with pytest.raises(IntegrityError, match="payout_approver_not_proposer"), transaction.atomic():
        Payout.objects.filter(pk=payout.pk).update(
            state=PayoutState.APPROVED, approved_by=world.alice, approved_at=timezone.now()
        )
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE funds_payout SET approved_by_id = proposed_by_id, state = 'approved', approved_at = now() "
            "WHERE id = %s",
            [payout.pk],
        )


def test_the_admin_offers_no_way_to_change_a_payout(world, award, client):
    admin = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    payout = culture(world, award)
    assert client.get(f"/admin/funds/payout/{payout.pk}/change/").status_code == 404


# --- Exactly once ------------------------------------------------------------------------


def test_one_live_culture_fund_per_award(world, award):
    culture(world, award)
    with pytest.raises(Refused, match="already proposed"):
        culture(world, award)
    with pytest.raises(IntegrityError, match="payout_one_live_culture_fund"), transaction.atomic():
        Payout.objects.create(award=award, kind=PayoutKind.CULTURE_FUND, amount=2000, proposed_by=world.alice)
    assert Payout.objects.filter(award=award).count() == 1


def test_a_double_submitted_form_makes_one_payout(world, award):
    token = uuid.uuid4()
    first = payout_propose(
        award=award,
        actor=world.alice,
        kind=PayoutKind.RENOVATION,
        amount=300,
        receipts=[receipt()],
        request_token=token,
    )
    again = payout_propose(
        award=award,
        actor=world.alice,
        kind=PayoutKind.RENOVATION,
        amount=300,
        receipts=[receipt()],
        request_token=token,
    )
    assert first.pk == again.pk
    assert Payout.objects.filter(award=award).count() == 1
    award.refresh_from_db()
    assert award.renovation_committed == Decimal("300.00")


def test_a_double_submitted_page_makes_one_payout(world, award, en_client):
    en_client.force_login(world.alice)
    token = str(uuid.uuid4())
    url = reverse("funds:payout_propose", args=[award.pk])
    for _ in range(2):
        data = {"kind": PayoutKind.RENOVATION, "amount": "250.00", "token": token, "note": "", "receipt_amounts": "250"}
        data["receipt"] = SimpleUploadedFile("r.pdf", PDF, "application/pdf")
        response = en_client.post(url, data)
        assert response.status_code == 302
    payout = Payout.objects.get(award=award)
    assert response.url == payout.get_absolute_url()
    assert payout.receipts.count() == 1
    assert en_client.get(reverse("funds:payout_receipt", args=[payout.receipts.get().pk])).status_code == 200


# --- Limits ------------------------------------------------------------------------------


def test_renovation_never_above_the_limit(world, award):
    assert award.renovation_limit == Decimal("800.00")

    def propose(amount, **kwargs):
        return payout_propose(
            award=award, actor=world.alice, kind=PayoutKind.RENOVATION, amount=Decimal(amount), **kwargs
        )

    with pytest.raises(ValidationError):
        propose("100.00")  # no receipt
    first = propose("500.00", receipts=[receipt()])
    with pytest.raises(Refused) as refused:
        propose("300.01", receipts=[receipt()])
    assert "¥800.00" in refused.value.reason and "¥300.00" in refused.value.reason
    propose("300.00", receipts=[receipt()])
    payout_cancel(payout=first, actor=world.alice, reason="发票有误")  # gives its room back
    propose("500.00", receipts=[receipt()])
    award.refresh_from_db()
    assert award.renovation_committed == Decimal("800.00")
    with pytest.raises(IntegrityError, match="award_renovation_within_limit"), transaction.atomic():
        type(award).objects.filter(pk=award.pk).update(renovation_committed=Decimal("800.01"))


def test_approval_beyond_the_years_budget_is_refused_with_the_figures(world):
    award = award_for(world, annual_budget=Decimal("1500.00"))
    payout = culture(world, award)
    with pytest.raises(Refused) as refused:
        payout_approve(payout=payout, actor=world.fay)
    reason = refused.value.reason
    assert "¥1,500.00" in reason and "¥2,000.00" in reason and "¥0.00 is already approved" in reason
    payout.refresh_from_db()
    assert payout.state == PayoutState.PROPOSED


def test_budget_counts_other_approved_payouts(world, award):
    year = award.programme_year
    type(year).objects.filter(pk=year.pk).update(annual_budget=Decimal("2500.00"))
    renovation = payout_propose(
        award=award, actor=world.alice, kind=PayoutKind.RENOVATION, amount=Decimal("600.00"), receipts=[receipt()]
    )
    payout_approve(payout=renovation, actor=world.fay)
    payout = culture(world, award)
    with pytest.raises(Refused, match="¥1,900.00 remains"):
        payout_approve(payout=payout, actor=world.fay)


def test_a_suspended_award_moves_no_money(world, award):
    payout = culture(world, award)
    award_suspend(award=award, actor=world.alice, reason="复查")
    payout.refresh_from_db()
    assert (payout.state, payout.reason) == (PayoutState.CANCELLED, "Award suspended: 复查")
    with pytest.raises(Refused):
        payout_propose(award=award, actor=world.alice, kind=PayoutKind.RENOVATION, amount=1, receipts=[receipt()])


def test_revoking_cancels_the_open_payouts_logs_and_tells(world, award):
    paid = payout_propose(award=award, actor=world.alice, kind=PayoutKind.RENOVATION, amount=200, receipts=[receipt()])
    payout_approve(payout=paid, actor=world.fay)
    payout_mark_paid(payout=paid, actor=world.fay, paid_on=timezone.localdate(), reference="B-1")
    approved = culture(world, award)
    payout_approve(payout=approved, actor=world.fay)
    proposed = payout_propose(
        award=award, actor=world.alice, kind=PayoutKind.RENOVATION, amount=300, receipts=[receipt()]
    )
    revoked = award_revoke(award=award, actor=world.alice, reason="复查不合格")
    assert [p.pk for p in revoked.cancelled_payouts] == [approved.pk, proposed.pk]
    for payout in (approved, proposed):
        payout.refresh_from_db()
        assert (payout.state, payout.cancelled_by, payout.reason) == (
            PayoutState.CANCELLED,
            world.alice,
            "Award revoked: 复查不合格",
        )
        assert log_of(payout)[-1] == (MoneyEvent.Kind.PAYOUT_CANCELLED, payout.amount, "alice")
    paid.refresh_from_db()
    assert paid.state == PayoutState.PAID  # paid money stays paid, and in the log
    award.refresh_from_db()
    assert award.renovation_committed == Decimal("200.00")  # the cancelled ¥300 is released
    # Told like any cancellation: the group's leader (the proposer alice is the actor).
    with translation.override(settings.LANGUAGE_CODE):
        cancelled = str(MoneyEvent.Kind.PAYOUT_CANCELLED.label)
    assert Notification.objects.filter(recipient=world.leo, verb=cancelled).count() == 2


def test_revoking_from_the_page_says_what_was_cancelled(world, award, en_client):
    culture(world, award)
    en_client.force_login(world.alice)
    response = en_client.post(
        reverse("funds:award_status", args=[award.pk, "revoke"]), {"state": "active", "reason": "复查"}, follow=True
    )
    shown = [str(m) for m in response.context["messages"]]
    assert "The award is now “Revoked”." in shown and "1 open payout was cancelled." in shown


def test_no_approval_or_payment_while_the_award_is_not_active(world, award):
    proposed = culture(world, award)
    approved = payout_propose(
        award=award, actor=world.alice, kind=PayoutKind.RENOVATION, amount=1, receipts=[receipt()]
    )
    payout_approve(payout=approved, actor=world.fay)
    # The status changed by another path (the admin, a data fix) with payouts still open.
    type(award).objects.filter(pk=award.pk).update(state="revoked")
    with pytest.raises(Refused, match="The award is “Revoked”"):
        payout_approve(payout=proposed, actor=world.fay)
    with pytest.raises(Refused, match="The award is “Revoked”"):
        payout_mark_paid(payout=approved, actor=world.fay, paid_on=timezone.localdate(), reference="B-1")
    assert {p.state for p in Payout.objects.filter(award=award)} == {PayoutState.PROPOSED, PayoutState.APPROVED}


def test_a_culture_fund_of_nothing_is_refused_with_the_reason(world):
    award = award_for(world, culture_fund_amount=Decimal("0.00"))
    with pytest.raises(Refused) as refused:
        culture(world, award)
    assert refused.value.reason == "This award's culture fund is ¥0.00, so there is nothing to pay."
    assert not Payout.objects.exists()


def test_finance_opening_the_propose_page_is_told_why(world, award, en_client):
    en_client.force_login(world.fay)
    response = en_client.get(reverse("funds:payout_propose", args=[award.pk]))
    assert response.status_code == 403
    assert "Only street staff propose payouts." in response.content.decode()


# --- The programme year's money settings (corridors asks funds through its AppConfig) ----


def test_the_budget_cannot_go_below_what_is_committed(world, award):
    year = award.programme_year
    payout = culture(world, award)
    payout_approve(payout=payout, actor=world.fay)
    with pytest.raises(ValidationError) as refused:
        programme_year_update(programme_year=year, actor=world.alice, annual_budget=Decimal("1999.99"))
    message = refused.value.message_dict["annual_budget"][0]
    assert "¥1,999.99" in message and "¥2,000.00 is already approved or paid" in message
    year.refresh_from_db()
    assert year.annual_budget == Decimal("100000.00")
    programme_year_update(programme_year=year, actor=world.alice, annual_budget=Decimal("2000.00"))
    year.refresh_from_db()
    assert year.annual_budget == Decimal("2000.00")


def test_the_year_form_shows_the_committed_figures(world, award, en_client):
    year = award.programme_year
    payout_approve(payout=culture(world, award), actor=world.fay)
    en_client.force_login(world.alice)
    fields = {
        name: getattr(year, name) if getattr(year, name) is not None else ""
        for name in ("year", "consent_numerator", "consent_denominator", "renovation_cap", "criterion_max")
    } | {"pass_total_min": year.pass_total_min, "pass_each_min": year.pass_each_min}
    data = fields | {
        "window_opens": year.window_opens.isoformat(),
        "window_closes": year.window_closes.isoformat(),
        "culture_fund_amount": "2000.00",
        "annual_budget": "1500.00",
    }
    response = en_client.post(reverse("programme:year_edit", args=[year.pk]), data)
    assert response.status_code == 200
    assert "already approved or paid" in response.content.decode() and "¥2,000.00" in response.content.decode()
    response = en_client.post(reverse("programme:year_edit", args=[year.pk]), data | {"culture_fund_amount": "0"})
    assert "must be more than ¥0.00" in response.content.decode()
    year.refresh_from_db()
    assert (year.annual_budget, year.culture_fund_amount) == (Decimal("100000.00"), Decimal("2000.00"))


def test_a_change_of_the_years_money_is_in_the_money_log(world, award):
    year = award.programme_year
    programme_year_update(
        programme_year=year, actor=world.alice, annual_budget=Decimal("120000.00"), culture_fund_amount=Decimal("2500")
    )
    event = MoneyEvent.objects.get(kind=MoneyEvent.Kind.BUDGET_CHANGE, subject_id=year.pk)
    assert (event.subject_type, event.amount, event.actor) == (
        "corridors.programmeyear",
        Decimal("120000.00"),
        world.alice,
    )
    assert "¥100,000.00 → ¥120,000.00" in event.note and "¥2,000.00 → ¥2,500.00" in event.note
    # Saving the year without a money change writes nothing more.
    programme_year_update(programme_year=year, actor=world.alice, pass_total_min=85)
    assert MoneyEvent.objects.filter(kind=MoneyEvent.Kind.BUDGET_CHANGE).count() == 1


# --- Cancelling and paying ---------------------------------------------------------------


def test_cancel_needs_a_reason_and_is_only_before_payment(world, award):
    payout = culture(world, award)
    with pytest.raises(Refused, match="reason"):
        payout_cancel(payout=payout, actor=world.alice, reason="")
    with pytest.raises(Refused):
        payout_cancel(payout=payout, actor=world.leo, reason="x")
    payout_approve(payout=payout, actor=world.fay)
    payout_mark_paid(payout=payout, actor=world.fay, paid_on=timezone.localdate(), reference="B-1")
    with pytest.raises(Refused, match="not possible while the payout is"):
        payout_cancel(payout=payout, actor=world.alice, reason="太晚了")


def test_paid_only_once_and_only_when_approved(world, award):
    payout = culture(world, award)
    with pytest.raises(Refused):
        payout_mark_paid(payout=payout, actor=world.fay, paid_on=timezone.localdate(), reference="B-1")
    payout_approve(payout=payout, actor=world.fay)
    with pytest.raises(Refused, match="finance approver"):
        payout_mark_paid(payout=payout, actor=world.alice, paid_on=timezone.localdate(), reference="B-1")
    payout_mark_paid(payout=payout, actor=world.fay, paid_on=timezone.localdate(), reference="B-1")
    with pytest.raises(Refused):
        payout_mark_paid(payout=payout, actor=world.fay, paid_on=timezone.localdate(), reference="B-2")
    assert [k for k, *_ in log_of(payout)].count(MoneyEvent.Kind.PAYOUT_PAID) == 1


def test_a_stale_click_changes_nothing(world, award, en_client):
    payout = culture(world, award)
    payout_cancel(payout=payout, actor=world.alice, reason="重复")
    en_client.force_login(world.fay)
    response = en_client.post(
        reverse("funds:payout_step", args=[payout.pk, "approve"]), {"state": PayoutState.PROPOSED}, follow=True
    )
    assert "changed while you were looking at it" in response.content.decode()
    payout.refresh_from_db()
    assert payout.state == PayoutState.CANCELLED


# --- Pages -------------------------------------------------------------------------------


def confirmed_post(client, url, data):
    """Post a money step, then confirm it on the confirmation page it answers with."""
    page = client.post(url, data)
    assert page.status_code == 200 and "data-payout-confirm" in page.content.decode()
    return client.post(url, {**data, "confirm_token": page.context["token"]})


def test_finance_approves_and_pays_through_the_pages(world, award, en_client):
    payout = culture(world, award)
    en_client.force_login(world.fay)
    listing = en_client.get(reverse("funds:payouts")).content.decode()
    assert f'data-payout="{payout.pk}"' in listing
    confirmed_post(
        en_client, reverse("funds:payout_step", args=[payout.pk, "approve"]), {"state": PayoutState.PROPOSED}
    )
    confirmed_post(
        en_client,
        reverse("funds:payout_step", args=[payout.pk, "pay"]),
        {"state": PayoutState.APPROVED, "paid_on": timezone.localdate().isoformat(), "reference": "BANK-9"},
    )
    payout.refresh_from_db()
    assert (payout.state, payout.paid_reference) == (PayoutState.PAID, "BANK-9")
    voucher = en_client.get(reverse("funds:voucher", args=[payout.pk])).content.decode()
    assert voucher.count("data-opinion-box") == 4 and "BANK-9" in voucher


@pytest.mark.parametrize(("persona", "status"), [("leo", 403), ("carl", 403), ("bob", 404), ("lena", 403)])
def test_payouts_are_for_the_streets_staff_and_finance(world, award, en_client, persona, status):
    payout = culture(world, award)
    en_client.force_login(getattr(world, persona))
    expected_list = 200 if persona == "bob" else 403
    assert en_client.get(reverse("funds:payouts")).status_code == expected_list
    assert en_client.get(payout.get_absolute_url()).status_code == 404


def test_export_and_budget(world, award, en_client):
    payout = culture(world, award)
    payout_approve(payout=payout, actor=world.fay)
    en_client.force_login(world.fay)
    response = en_client.get(reverse("funds:payouts_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "No." and rows[1][6] == 2000 and len(rows) == 2
    budget = en_client.get(reverse("funds:budget"))
    assert budget.context["totals"]["approved"] == Decimal("2000.00")
    assert budget.context["totals"]["remaining"] == Decimal("98000.00")
    assert "¥98,000.00" in budget.content.decode()


def test_payout_pages_keep_their_query_count(world, award, en_client, count_queries):
    culture(world, award)
    en_client.force_login(world.fay)
    pages = [
        reverse("funds:payouts"),
        reverse("funds:payouts_export"),
        reverse("funds:budget"),
        award.get_absolute_url(),
        reverse("home"),
    ]
    small = [count_queries(en_client.get, url) for url in pages]
    for group in more_groups(world, 4):
        other = award_for(world, ready_for_inspection(world, group=group, title=str(group.pk)))
        payout = culture(world, other)
        payout_approve(payout=payout, actor=world.fay)
        payout_propose(award=award, actor=world.alice, kind=PayoutKind.RENOVATION, amount=10, receipts=[receipt()])
    assert [count_queries(en_client.get, url) for url in pages] == small


def test_the_voucher_keeps_its_query_count(world, award, en_client, count_queries):
    payout = payout_propose(
        award=award, actor=world.alice, kind=PayoutKind.RENOVATION, amount=100, receipts=[receipt()]
    )
    en_client.force_login(world.fay)
    url = reverse("funds:voucher", args=[payout.pk])
    small = count_queries(en_client.get, url)
    payout_receipts_add(payout=payout, actor=world.alice, receipts=[receipt() for _ in range(4)])
    payout_approve(payout=payout, actor=world.fay)
    payout_mark_paid(payout=payout, actor=world.fay, paid_on=timezone.localdate(), reference="B-7")
    assert count_queries(en_client.get, url) == small


def test_one_tap_never_moves_money_the_confirmation_shows_amount_payee_and_group(world, award, client):
    payout = culture(world, award)
    client.force_login(world.fay)
    url = reverse("funds:payout_step", args=[payout.pk, "approve"])
    page = client.post(url, {"state": PayoutState.PROPOSED})
    html = page.content.decode()
    payout.refresh_from_db()
    assert payout.state == PayoutState.PROPOSED  # the first tap only asks
    assert "¥2,000.00" in html and "贰仟元整" in html
    assert str(award.group) in html and world.leo.full_name in html  # the group and its leader
    # A token for another amount, step or person, or none at all, moves nothing either.
    for token in ("", "forged", page.context["token"] + "x"):
        again = client.post(url, {"state": PayoutState.PROPOSED, "confirm_token": token})
        assert again.status_code == 200 and "data-payout-confirm" in again.content.decode()
    payout.refresh_from_db()
    assert payout.state == PayoutState.PROPOSED
    client.post(url, {"state": PayoutState.PROPOSED, "confirm_token": page.context["token"]})
    payout.refresh_from_db()
    assert payout.state == PayoutState.APPROVED
    # Paying: the token is for this date and reference; changing them asks again.
    pay = reverse("funds:payout_step", args=[payout.pk, "pay"])
    data = {"state": PayoutState.APPROVED, "paid_on": timezone.localdate().isoformat(), "reference": "BANK-7"}
    token = client.post(pay, data).context["token"]
    client.post(pay, {**data, "reference": "BANK-8", "confirm_token": token})
    payout.refresh_from_db()
    assert payout.state == PayoutState.APPROVED
    client.post(pay, {**data, "confirm_token": token})
    payout.refresh_from_db()
    assert (payout.state, payout.paid_reference) == (PayoutState.PAID, "BANK-7")
