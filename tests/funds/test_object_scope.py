"""Out of scope, a funds object does not exist: every funds URL that names an object answers
404 to people of another street, neighbourhood or group, and no list page of theirs shows it.

The objects are ours (四平路, neighbourhood N1, group g1); the outsiders are bob (staff of
another street), cindy (committee of N2) and lena (leader of g2).
"""

import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook

from funds.models import PayoutKind
from funds.services.consents import unit_record_consent
from funds.services.ledger import ledger_entry_add
from funds.services.payments import payment_record
from funds.services.payouts import payout_approve, payout_mark_paid, payout_propose
from tests.factories import pdf_bytes
from tests.funds.conftest import add_units, make_campaign
from tests.funds.test_acceptance import award_for

PDF = pdf_bytes()  # a real PDF: uploads are read with pypdf
PURPOSE = "更换楼道灯具（范围测试）"
OUTSIDERS = ["bob", "cindy", "lena"]

# Every funds URL that names an object: the object it names, its extra arguments, the method.
OBJECT_URLS = {
    "campaign": ("campaign", [], "get"),
    "edit": ("campaign", [], "get"),
    "member_add": ("campaign", [], "post"),
    "member_remove": ("member", [], "post"),
    "import": ("campaign", [], "get"),
    "units": ("campaign", [], "get"),
    "units_export": ("campaign", [], "get"),
    "collection": ("campaign", [], "get"),
    "collection_export_full": ("campaign", [], "post"),
    "notice": ("campaign", [], "get"),
    "notice_publish": ("campaign", [], "post"),
    "unit": ("unit", [], "get"),
    "unit_consent": ("unit", [], "post"),
    "unit_payment": ("unit", [], "post"),
    "unit_print": ("unit", [], "get"),
    "unit_correct": ("unit", [], "get"),
    "unit_reveal": ("unit", [], "get"),
    "door": ("campaign", [], "get"),
    "door_answer": ("unit", [], "post"),
    "payment_correct": ("payment", [], "get"),
    "consent_scan": ("consent", [], "get"),
    "check_schedule": ("application", [], "get"),
    "check": ("check", [], "get"),
    "check_photo": ("check", [], "post"),
    "check_photo_file": ("check", [1, "small"], "get"),
    "check_photo_discard": ("check", [1], "post"),
    "check_print": ("check", [], "get"),
    "reinspection": ("check", [], "post"),
    "award": ("award", [], "get"),
    "award_status": ("award", ["suspend"], "post"),
    "certificate": ("award", [], "get"),
    "payout_propose": ("award", [], "get"),
    "ledger": ("award", [], "get"),
    "ledger_receipt": ("ledger_entry", [], "get"),
    "ledger_reverse": ("ledger_entry", [], "get"),
    "payout": ("payout", [], "get"),
    "voucher": ("payout", [], "get"),
    "payout_step": ("payout", ["approve"], "post"),
    "payout_receipt": ("receipt", [], "get"),
}
LIST_URLS = [
    "list",
    "inspections",
    "awards",
    "payouts",
    "payouts_export",
    "budget",
    "campaigns_export",
    "awards_export",
    "checks_export",
    "budget_export",
]


@pytest.fixture
def ours(world):
    campaign = make_campaign(world, purpose=PURPOSE)
    unit = add_units(campaign, 1)[0]
    member = campaign.members.create(name="许敏", side="committee")
    consent = unit_record_consent(
        unit=unit, status="agree", recorded_by=world.alice, scan=("pdf", ContentFile(PDF, name="s.pdf"))
    )
    payment = payment_record(
        unit=unit, amount=Decimal("10.00"), paid_on=timezone.localdate(), channel="cash", recorded_by=world.alice
    )
    award = award_for(world)
    culture = payout_propose(award=award, actor=world.alice, kind=PayoutKind.CULTURE_FUND)
    payout_approve(payout=culture, actor=world.fay)
    payout_mark_paid(payout=culture, actor=world.fay, paid_on=timezone.localdate(), reference="B-1")
    entry = ledger_entry_add(
        award=award,
        actor=world.leo,
        spent_on=timezone.localdate(),
        item="绿植",
        amount=Decimal("10.00"),
        receipt=("pdf", ContentFile(PDF, name="l.pdf")),
    )
    payout = payout_propose(
        award=award,
        actor=world.alice,
        kind=PayoutKind.RENOVATION,
        amount=Decimal("100.00"),
        receipts=[("pdf", ContentFile(PDF, name="r.pdf"), Decimal("100000.00"))],
    )
    return {
        "campaign": campaign,
        "member": member,
        "unit": unit,
        "consent": consent,
        "payment": payment,
        "application": award.application,
        "check": award.check_record,
        "award": award,
        "ledger_entry": entry,
        "payout": payout,
        "receipt": payout.receipts.get(),
    }


def test_every_object_url_of_funds_is_in_this_table():
    patterns = get_resolver().url_patterns
    funds = next(p for p in patterns if getattr(p, "namespace", None) == "funds")
    named = {p.name for p in funds.url_patterns if p.pattern.converters}
    assert named == set(OBJECT_URLS)


@pytest.mark.parametrize("name", list(OBJECT_URLS))
def test_an_object_out_of_scope_is_not_found(world, ours, client, name):
    target, extra, method = OBJECT_URLS[name]
    url = reverse(f"funds:{name}", args=[ours[target].pk, *extra])
    for persona in OUTSIDERS:
        client.force_login(getattr(world, persona))
        response = getattr(client, method)(url)
        assert response.status_code == 404, (persona, name)
        body = response.content.decode()
        assert PURPOSE not in body and ours["award"].certificate_number not in body


@pytest.mark.parametrize("name", LIST_URLS)
def test_no_list_shows_an_object_out_of_scope(world, ours, client, name):
    for persona in OUTSIDERS:
        client.force_login(getattr(world, persona))
        response = client.get(reverse(f"funds:{name}"))
        assert response.status_code in (200, 403), (persona, name)
        body = sheet_text(response) if name.endswith("_export") else response.content.decode()
        for text in (PURPOSE, ours["award"].certificate_number, ours["application"].title):
            assert text not in body, (persona, name, text)


def sheet_text(response) -> str:
    """Every cell of an exported workbook, as one text (the export itself is a zip)."""
    if response.status_code != 200:
        return response.content.decode()
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return " ".join(str(v) for row in book.active.iter_rows(values_only=True) for v in row if v is not None)


# --- A district user (区): reads awards, payouts and the budget; changes nothing -----------


def _funds_snapshot():
    from funds.models import Award, LedgerEntry, Payment, Payout, Unit

    return (
        sorted(Award.objects.values_list("pk", "state")),
        sorted(Payout.objects.values_list("pk", "state", "amount")),
        LedgerEntry.objects.count(),
        Payment.objects.count(),
        sorted(Unit.objects.values_list("pk", "consent_status", "owner_name")),
    )


def test_a_district_user_reads_awards_payouts_and_budget_and_changes_nothing(world, ours, client):
    from corridors.models import Oversight
    from tests import factories as f

    dora = f.UserFactory(username="dora", full_name="dora姓名")
    Oversight.objects.create(user=dora, district=world.street.district)
    client.force_login(dora)
    award = ours["award"]
    for name in ("awards", "awards_export", "payouts", "budget"):
        response = client.get(reverse(f"funds:{name}"))
        text = sheet_text(response) if name.endswith("_export") else response.content.decode()
        assert response.status_code == 200, name
        if name != "budget":
            assert award.certificate_number in text or award.group.name in text, name
    assert client.get(reverse("funds:award", args=[award.pk])).status_code == 200
    before = _funds_snapshot()
    wrong = []
    # Pages that only show (a POST renders them like a GET, or serves the file).
    read_pages = {"award", "certificate", "ledger_receipt", "payout", "voucher", "payout_receipt"}
    for name, (target, extra, _method) in OBJECT_URLS.items():
        if name in read_pages:
            continue
        response = client.post(
            reverse(f"funds:{name}", args=[ours[target].pk, *extra]), {"reason": "区里", "amount": "1"}
        )
        if response.status_code not in {302, 403, 404, 405}:
            wrong.append(f"POST {name}: {response.status_code}")
    for name, args in (("payout_propose", [award.pk]), ("award_status", [award.pk, "suspend"])):
        status = client.post(reverse(f"funds:{name}", args=args), {"reason": "区里", "kind": "culture"}).status_code
        if status not in {403, 404}:
            wrong.append(f"{name}: {status}")
    assert not wrong, "\n".join(wrong)
    assert _funds_snapshot() == before
