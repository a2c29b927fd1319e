"""The story's campaign: 和平花园 D座 replaces its 3 elevators (DESIGN.md §2).

Figures, reproduced to the fen: 192 households on 25 floors, 20,062.00 m² in all; works
¥895,000; fund balance ¥856,000; initial fund ¥413,333.33, whose 30% reserve rounds
half-up to the fen to ¥124,000.00 (0.3 × 413,333.33 = 123,999.999); gap ¥163,000.00;
¥15/m² one-off; every household agreed and paid: ¥300,930.00. The public notice is published.

Idempotent: a second run finds the campaign, its roll, consents and payments in place
and adds nothing. The roll goes in through the same CSV import staff use.
"""

import csv
import datetime
import io
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from corridors.models import Application, Building, BuildingGroup, Role, Street, User
from corridors.services.applications import application_request_inspection
from corridors.workflows.application import State
from funds.models import (
    AcceptanceCheck,
    Award,
    Campaign,
    ConsentStatus,
    Payment,
    PayoutKind,
    PayoutState,
    WorkingGroupMember,
)
from funds.services import campaigns as services
from funds.services import checks as services_checks
from funds.services import consents, notice, payments, units
from funds.services import ledger as services_ledger
from funds.services import payouts as services_payouts

PURPOSE = "更换3台电梯（已运行20年）"
TOTAL_AREA = Decimal("20062.00")
# Floor 1 has 4 flats beside the lobby, floors 2–24 have 8, floor 25 has 4 duplexes.
GROUND_AREAS = [Decimal("96.35"), Decimal("88.72"), Decimal("88.72"), Decimal("96.35")]
TYPICAL_AREAS = [Decimal(a) for a in ("125.80", "93.66", "87.45", "104.66", "104.66", "87.45", "93.66", "125.80")]
DUPLEX_AREA = Decimal("189.91")  # the last duplex takes whatever makes the total exact
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
]
MEMBERS = [
    ("许敏", WorkingGroupMember.Side.COMMITTEE, True),
    ("张怡", WorkingGroupMember.Side.OWNERS, False),
    ("刘建国", WorkingGroupMember.Side.PROPERTY, False),
    ("陈志华", WorkingGroupMember.Side.ELEVATOR, False),
]
FIRST_PAYMENT = datetime.date(2017, 6, 1)


def demo_roll() -> list[tuple[str, int, Decimal, str, str, str]]:
    """(unit, floor, area, owner, phone, owner key) for the 192 units, summing to 20,062.00 m²."""
    layout = [(1, GROUND_AREAS)] + [(floor, TYPICAL_AREAS) for floor in range(2, 25)] + [(25, [DUPLEX_AREA] * 4)]
    rows = []
    for floor, areas in layout:
        for position, area in enumerate(areas, start=1):
            n = len(rows)
            name = SURNAMES[(n * 7) % len(SURNAMES)] + GIVEN[(n * 3 + floor) % len(GIVEN)]
            phone = f"139{floor:02d}{position:02d}{(n * 7919) % 10000:04d}"
            rows.append([f"{floor}{position:02d}", floor, area, name, phone, f"D-{floor}{position:02d}"])
    rows[-1][2] = TOTAL_AREA - sum(r[2] for r in rows[:-1])
    return [tuple(r) for r in rows]


def _roll_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(units.IMPORT_COLUMNS)
    writer.writerows(demo_roll())
    return out.getvalue().encode("utf-8")


@transaction.atomic
def load_demo_funds(street: Street) -> Campaign:
    campaign = _load_demo_campaign(street)
    load_demo_awards(street)
    return campaign


def _load_demo_campaign(street: Street) -> Campaign:
    building = Building.objects.get(compound__neighbourhood__street=street, compound__name="和平花园", name="D座")
    actor = (
        User.objects.filter(roles__role=Role.STREET_STAFF, roles__street=street).order_by("pk").first()
        or User.objects.filter(is_superuser=True).order_by("pk").first()
    )
    campaign = Campaign.objects.filter(building=building, purpose=PURPOSE).first()
    if campaign is None:
        campaign = services.campaign_create(
            building=building,
            purpose=PURPOSE,
            works_cost=Decimal("895000.00"),
            fund_balance=Decimal("856000.00"),
            initial_fund=Decimal("413333.33"),
            reserve_share=Decimal("0.30"),
            rate_per_m2=Decimal("15.00"),
            collector="和平花园物业管理有限公司",
            supervisor="和平花园业主委员会",
            created_by=actor,
        )
    if not campaign.members.exists():
        for name, side, is_leader in MEMBERS:
            services.working_group_member_add(campaign=campaign, actor=actor, name=name, side=side, is_leader=is_leader)
    if not campaign.units.exists():
        units.units_import(campaign=campaign, actor=actor, file=ContentFile(_roll_csv(), name="D座.csv"))
    channels = [Payment.Channel.BANK, Payment.Channel.WECHAT, Payment.Channel.CASH, Payment.Channel.ALIPAY]
    for index, unit in enumerate(campaign.units.order_by("floor", "label")):
        unit.campaign = campaign
        if unit.consent_status != ConsentStatus.AGREE:
            consents.unit_record_consent(unit=unit, status=ConsentStatus.AGREE, recorded_by=actor)
        if unit.outstanding > 0:
            payments.payment_record(
                unit=unit,
                amount=unit.outstanding,
                paid_on=FIRST_PAYMENT + datetime.timedelta(days=index % 90),
                channel=channels[index % len(channels)],
                recorded_by=actor,
            )
    if not campaign.notice.is_published:
        notice.notice_publish(campaign=campaign, actor=actor)
    return campaign


# --- The awarded corridor (DESIGN.md §2): 和平花园 D座 passes its check ----------------------

LEDGER_LINES = [(datetime.date(2026, 6, 12), "绿萝与吊兰十盆", Decimal("360.00")),
                (datetime.date(2026, 7, 3), "摄影作品装裱（12幅）", Decimal("540.00"))]  # fmt: skip
DEMO_RECEIPT = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def load_demo_awards(street: Street) -> None:
    """和平花园 D座 passes its acceptance check: its culture fund is paid, two ledger lines
    are recorded, and a renovation payout waits for the finance user's approval.

    Idempotent: each step runs only when the previous run did not get that far. Every
    step goes through the same services the pages use, so the money log is real.
    """
    group = BuildingGroup.objects.filter(
        building__compound__neighbourhood__street=street, building__compound__name="和平花园", building__name="D座"
    ).first()
    application = group and Application.objects.filter(group=group, programme_year__year=2026).first()
    if application is None:
        return
    staff, finance = User.objects.get(username="staff"), User.objects.get(username="finance")
    today = timezone.localdate()  # no date in the future, whenever the demo is loaded
    leader = User.objects.get(username="leaderd")
    if application.state == State.IN_CREATION:
        application = application_request_inspection(application=application, actor=leader, note="楼道布置完成。")
    if application.state == State.INSPECTION_REQUESTED:
        check = AcceptanceCheck.objects.filter(
            application=application, outcome=AcceptanceCheck.Outcome.SCHEDULED
        ).first()
        if check is None:
            committee = User.objects.get(username="committee")
            check = services_checks.check_schedule(
                application=application,
                actor=staff,
                scheduled_for=datetime.date(2026, 5, 20),
                inspectors=[staff, committee],
            )
        services_checks.check_record_scores(
            check=check,
            actor=staff,
            scores={"tidy": 18, "orderly": 17, "civilised": 18, "warm": 19, "harmonious": 18},
            remarks="楼道整洁明亮，摄影作品主题鲜明，居民参与度高。",
        )
    award = Award.objects.filter(application=application).first()
    if award is None:
        return
    culture = award.payouts.filter(kind=PayoutKind.CULTURE_FUND).exclude(
        state__in=[PayoutState.REJECTED, PayoutState.CANCELLED]
    ).first() or services_payouts.payout_propose(award=award, actor=staff, kind=PayoutKind.CULTURE_FUND)
    if culture.state == PayoutState.PROPOSED:
        culture = services_payouts.payout_approve(payout=culture, actor=finance)
    if culture.state == PayoutState.APPROVED:
        services_payouts.payout_mark_paid(
            payout=culture,
            actor=finance,
            paid_on=min(datetime.date(2026, 6, 1), today),
            reference="工行转账 20260601-0017",
        )
    award.refresh_from_db()
    if not award.ledger_entries.exists():
        for spent_on, item, amount in LEDGER_LINES:
            services_ledger.ledger_entry_add(
                award=award,
                actor=leader,
                spent_on=min(spent_on, today),
                item=item,
                amount=amount,
                receipt_amount=amount,
            )
    if not award.payouts.filter(kind=PayoutKind.RENOVATION).exists():
        services_payouts.payout_propose(
            award=award,
            actor=staff,
            kind=PayoutKind.RENOVATION,
            amount=Decimal("1800.00"),
            note="内墙粉刷费用报销",
            receipts=[("pdf", ContentFile(DEMO_RECEIPT, name="receipt.pdf"), Decimal("1800.00"))],
        )
