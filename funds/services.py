"""Every write of the funds app goes through one of these functions (STYLE.md "Services")."""

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import load_workbook

from corridors.models import Building, User
from funds.models import (
    Campaign,
    ConsentReason,
    ConsentRecord,
    ConsentStatus,
    MoneyEvent,
    Payment,
    RuleSet,
    Unit,
    UnitChange,
    WorkingGroupMember,
)

# --- Campaigns ----------------------------------------------------------------------


@transaction.atomic
def campaign_create(
    *,
    building: Building,
    purpose: str,
    works_cost: Decimal,
    fund_balance: Decimal,
    initial_fund: Decimal,
    rate_per_m2: Decimal,
    collector: str,
    supervisor: str,
    created_by: User,
    reserve_share: Decimal = Decimal("0.30"),
    rule_set: str = RuleSet.CIVIL_CODE_278,
) -> Campaign:
    """Open a campaign for a building with its money figures (validated, to the fen)."""
    campaign = Campaign(
        building=building,
        purpose=purpose,
        works_cost=works_cost,
        fund_balance=fund_balance,
        initial_fund=initial_fund,
        reserve_share=reserve_share,
        rate_per_m2=rate_per_m2,
        collector=collector,
        supervisor=supervisor,
        rule_set=rule_set,
        created_by=created_by,
    )
    campaign.full_clean()
    campaign.save()
    return campaign


CAMPAIGN_FIELDS = (
    "purpose",
    "works_cost",
    "fund_balance",
    "initial_fund",
    "reserve_share",
    "rate_per_m2",
    "collector",
    "supervisor",
    "rule_set",
)


@transaction.atomic
def campaign_update(
    *,
    campaign: Campaign,
    purpose: str,
    works_cost: Decimal,
    fund_balance: Decimal,
    initial_fund: Decimal,
    reserve_share: Decimal,
    rate_per_m2: Decimal,
    collector: str,
    supervisor: str,
    rule_set: str,
) -> Campaign:
    """Change the figures. The rate cannot change once money was collected at the old rate."""
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if rate_per_m2 != locked.rate_per_m2 and Payment.objects.filter(unit__campaign=locked).exists():
        raise ValidationError({"rate_per_m2": _("Payments were already collected at this rate; it cannot change.")})
    values = {
        "purpose": purpose,
        "works_cost": works_cost,
        "fund_balance": fund_balance,
        "initial_fund": initial_fund,
        "reserve_share": reserve_share,
        "rate_per_m2": rate_per_m2,
        "collector": collector,
        "supervisor": supervisor,
        "rule_set": rule_set,
    }
    for name, value in values.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save(update_fields=list(CAMPAIGN_FIELDS))
    return locked


@transaction.atomic
def campaign_publish_notice(*, campaign: Campaign, published: bool) -> Campaign:
    """Show the public notice (公示) to everyone, or withdraw it (managers still preview it)."""
    campaign.notice_published = published
    campaign.save(update_fields=["notice_published"])
    return campaign


@transaction.atomic
def working_group_member_add(
    *, campaign: Campaign, name: str, side: str, is_leader: bool = False, user: User | None = None
) -> WorkingGroupMember:
    """Add a member, optionally linked to their account (who then records consents, see funds/selectors.py).

    A second leader, or the same account twice, is refused (partial unique constraints are the last line).
    """
    # Two people adding a leader (or the same account) at once: lock the campaign so the checks below hold.
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    if is_leader and campaign.members.filter(is_leader=True).exists():
        raise ValidationError({"is_leader": _("The working group already has a leader.")})
    if user is not None and campaign.members.filter(user=user).exists():
        raise ValidationError({"user": _("This account is already in the working group.")})
    member = WorkingGroupMember(campaign=campaign, name=name.strip(), side=side, is_leader=is_leader, user=user)
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def working_group_member_remove(*, member: WorkingGroupMember) -> None:
    member.delete()


# --- Unit roll import ---------------------------------------------------------------

IMPORT_COLUMNS = ("unit", "floor", "area", "owner name", "phone", "owner key")
# Accepted header spellings (Chinese sheets are the norm) -> canonical column.
HEADER_ALIASES = {
    "unit": "unit",
    "房号": "unit",
    "室号": "unit",
    "单元": "unit",
    "floor": "floor",
    "楼层": "floor",
    "层": "floor",
    "area": "area",
    "area m2": "area",
    "area (m²)": "area",
    "面积": "area",
    "建筑面积": "area",
    "owner name": "owner name",
    "owner": "owner name",
    "业主": "owner name",
    "业主姓名": "owner name",
    "姓名": "owner name",
    "phone": "phone",
    "电话": "phone",
    "手机": "phone",
    "联系电话": "phone",
    "owner key": "owner key",
    "业主编号": "owner key",
    "产权人编号": "owner key",
}
MAX_IMPORT_ROWS = 5000
# Each column's label is the Unit field's verbose name, so the error message names the
# columns in the reader's language, and a header written that way is understood.
COLUMN_FIELDS = {
    "unit": "label",
    "floor": "floor",
    "area": "area_m2",
    "owner name": "owner_name",
    "phone": "owner_phone",
    "owner key": "owner_key",
}


def column_label(column: str) -> str:
    """A roll column's name in the active language (房号, 楼层, 面积（m²）…)."""
    return str(Unit._meta.get_field(COLUMN_FIELDS[column]).verbose_name)


def _header_lookup() -> dict[str, str]:
    lookup = dict(HEADER_ALIASES)
    with translation.override("en"):
        lookup.update({column_label(c).lower(): c for c in IMPORT_COLUMNS})
    lookup.update({column_label(c).lower(): c for c in IMPORT_COLUMNS})
    return lookup


@dataclass(frozen=True)
class ImportProblem:
    line: int  # 1-based line in the file (the header is line 1); 0 for the whole file
    message: str


class ImportRejected(Exception):
    """The file was not imported; ``problems`` says why, line by line."""

    def __init__(self, problems: list[ImportProblem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def _read_rows(data: bytes, filename: str) -> list[list[str]]:
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds on a damaged file
            raise ImportRejected([ImportProblem(0, _("This is not a readable Excel (.xlsx) file."))]) from exc
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(["" if v is None else _cell_text(v) for v in row])
            if len(rows) > MAX_IMPORT_ROWS + 1:
                break
        workbook.close()
        return rows
    if name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportRejected([ImportProblem(0, _("This CSV file is not in UTF-8 or GB18030 text."))])
        if "\x00" in text:
            raise ImportRejected([ImportProblem(0, _("This is not a text CSV file."))])
        try:
            return list(csv.reader(io.StringIO(text)))[: MAX_IMPORT_ROWS + 2]
        except csv.Error as exc:
            raise ImportRejected([ImportProblem(0, _("This CSV file cannot be read."))]) from exc
    raise ImportRejected([ImportProblem(0, _("Please upload an Excel (.xlsx) or CSV (.csv) file."))])


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        # openpyxl gives floats for numeric cells; repr keeps the typed digits (102.35, not 102.3499…).
        return repr(value)
    return str(value).strip()


def _parse_roll(
    rows: list[list[str]], existing_labels: set[str], existing_owners: dict[str, str] | None = None
) -> tuple[list[dict], list[ImportProblem]]:
    """The roll's units, or every bad line with its reasons. ``existing_owners`` maps the
    owner keys already on the roll to their owners' names."""
    existing_owners = existing_owners or {}
    problems: list[ImportProblem] = []
    rows = [[(c or "").strip() for c in row] for row in rows]
    if not rows or not any(rows[0]):
        return [], [ImportProblem(0, _("The file is empty."))]
    lookup = _header_lookup()
    header = [lookup.get(c.lower(), c.lower()) for c in rows[0]]
    positions = {}
    for column in IMPORT_COLUMNS:
        if column in header:
            positions[column] = header.index(column)
    missing = [c for c in ("unit", "floor", "area", "owner name") if c not in positions]
    if missing:
        return [], [
            ImportProblem(
                1,
                _("The first line must name the columns; missing: %(columns)s. Expected: %(expected)s.")
                % {
                    "columns": ", ".join(column_label(c) for c in missing),
                    "expected": ", ".join(column_label(c) for c in IMPORT_COLUMNS),
                },
            )
        ]
    if len(rows) - 1 > MAX_IMPORT_ROWS:
        return [], [ImportProblem(0, _("At most %(n)s units can be imported at once.") % {"n": MAX_IMPORT_ROWS})]

    def cell(row, column):
        i = positions.get(column)
        return row[i] if i is not None and i < len(row) else ""

    parsed, seen = [], {}
    owners_seen: dict[str, tuple[str, int]] = {}  # owner key -> (name, first line)
    for line, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue  # blank lines are harmless
        errors = []
        label = cell(row, "unit")
        if not label:
            errors.append(_("the unit is missing"))
        elif len(label) > 20:
            errors.append(_("the unit is longer than 20 characters"))
        elif label in existing_labels:
            errors.append(_("unit %(unit)s is already on the roll") % {"unit": label})
        elif label in seen:
            errors.append(_("unit %(unit)s is also on line %(line)s") % {"unit": label, "line": seen[label]})
        floor = None
        try:
            floor = int(cell(row, "floor"))
            if not -5 <= floor <= 200:
                raise ValueError
        except ValueError:
            errors.append(_("the floor “%(value)s” is not a whole number") % {"value": cell(row, "floor")})
        area = None
        raw_area = cell(row, "area").replace(",", "")
        try:
            area = Decimal(raw_area)
            if not area.is_finite() or area <= 0 or area >= Decimal("100000000"):
                raise InvalidOperation
            if area != area.quantize(Decimal("0.01")):
                errors.append(_("the area “%(value)s” has more than 2 decimal places") % {"value": raw_area})
        except InvalidOperation:
            errors.append(_("the area “%(value)s” is not a positive number of m²") % {"value": cell(row, "area")})
        name = cell(row, "owner name")
        if not name:
            errors.append(_("the owner's name is missing"))
        elif len(name) > 50:
            errors.append(_("the owner's name is longer than 50 characters"))
        phone = cell(row, "phone")
        if phone and (len(phone) > 20 or not all(ch.isdigit() or ch in "+- " for ch in phone)):
            errors.append(_("the phone “%(value)s” is not a phone number") % {"value": phone})
        key = cell(row, "owner key")
        if len(key) > 50:
            errors.append(_("the owner key is longer than 50 characters"))
        elif key and name:
            # One key is one owner (counted once by headcount): a second name means a typo
            # in the key or the name, and counting it would merge two owners.
            if key in owners_seen and owners_seen[key][0] != name:
                other, other_line = owners_seen[key]
                errors.append(
                    _("owner key %(key)s is %(other)s on line %(line)s, not %(name)s")
                    % {"key": key, "other": other, "line": other_line, "name": name}
                )
            elif key in existing_owners and existing_owners[key] != name:
                errors.append(
                    _("owner key %(key)s is %(other)s on the roll, not %(name)s")
                    % {"key": key, "other": existing_owners[key], "name": name}
                )
            owners_seen.setdefault(key, (name, line))
        if errors:
            problems.append(ImportProblem(line, pgettext("list separator", "; ").join(errors)))
            continue
        seen[label] = line
        parsed.append(
            {
                "label": label,
                "floor": floor,
                "area_m2": area,
                "owner_name": name,
                "owner_phone": phone,
                # No key given: the unit is its own owner ("#" marks a key we made up).
                "owner_key": key or f"#{label}",
            }
        )
    if not parsed and not problems:
        problems.append(ImportProblem(0, _("The file has a header but no units.")))
    return parsed, problems


@transaction.atomic
def units_import(*, campaign: Campaign, data: bytes, filename: str) -> int:
    """Add the units of an .xlsx/.csv roll. All rows or none: any bad row rejects the file.

    Raises ``ImportRejected`` listing every bad line with its reason. Returns the number
    of units added. Units already on the roll (same label) are reported, never replaced.
    """
    # Two imports at once could both pass the duplicate check: lock the campaign.
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    existing = set(campaign.units.values_list("label", flat=True))
    owners = dict(campaign.units.values_list("owner_key", "owner_name"))
    parsed, problems = _parse_roll(_read_rows(data, filename), existing, owners)
    if problems:
        raise ImportRejected(problems)
    Unit.objects.bulk_create([Unit(campaign=campaign, **row) for row in parsed])
    return len(parsed)


# --- Unit corrections ---------------------------------------------------------------

UNIT_CORRECTABLE = ("floor", "area_m2", "owner_name", "owner_phone")


@transaction.atomic
def unit_correct(
    *,
    unit: Unit,
    floor: int,
    area_m2: Decimal,
    owner_name: str,
    owner_phone: str,
    reason: str,
    changed_by: User,
) -> UnitChange | None:
    """Correct a unit's roll data before any money came in; the change is kept as history.

    Refused once the unit has a payment (its due was fixed by the area). Returns the
    history row, or None when nothing changed.
    """
    # A payment recorded while the area is being corrected: the unit lock orders the two.
    locked = Unit.objects.select_for_update().get(pk=unit.pk)
    if locked.payments.exists():
        raise ValidationError(_("This unit has payments: its roll data can no longer change."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Please say why the unit is corrected.")})
    area_m2 = Decimal(area_m2)
    if not area_m2.is_finite() or area_m2 != area_m2.quantize(Decimal("0.01")):
        raise ValidationError({"area_m2": _("The area must be in m² to at most 2 decimal places.")})
    values = {
        "floor": floor,
        "area_m2": area_m2.quantize(Decimal("0.01")),
        "owner_name": owner_name.strip(),
        "owner_phone": owner_phone.strip(),
    }
    changes = {
        name: [str(getattr(locked, name)), str(value)]
        for name, value in values.items()
        if getattr(locked, name) != value
    }
    if not changes:
        return None
    for name, value in values.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save(update_fields=list(changes))
    for name in changes:
        setattr(unit, name, getattr(locked, name))
    return UnitChange.objects.create(unit=locked, changes=changes, reason=reason, changed_by=changed_by)


# --- Consent ------------------------------------------------------------------------


@transaction.atomic
def unit_record_consent(
    *,
    unit: Unit,
    status: str,
    recorded_by: User,
    reason: str = "",
    note: str = "",
    scan: tuple[str, ContentFile] | None = None,
) -> ConsentRecord:
    """Record a unit's consent: a new history row, and the unit's current status updated."""
    # Two volunteers recording the same unit at once: the lock orders them; the last wins, both stay in history.
    locked = Unit.objects.select_for_update().get(pk=unit.pk)
    status = ConsentStatus(status)
    if reason:
        reason = ConsentReason(reason)
    now = timezone.now()
    record = ConsentRecord(
        unit=locked, status=status, reason=reason, note=note.strip(), recorded_by=recorded_by, recorded_at=now
    )
    if scan:
        kind, content = scan
        record.scan_kind = kind
        record.scan.save(content.name, content, save=False)
    record.full_clean(exclude=["scan"])
    record.save()
    locked.consent_status, locked.consent_reason, locked.consent_updated_at = status, reason, now
    locked.save(update_fields=["consent_status", "consent_reason", "consent_updated_at"])
    unit.consent_status, unit.consent_reason, unit.consent_updated_at = status, reason, now
    return record


# --- Payments -----------------------------------------------------------------------


@transaction.atomic
def payment_record(
    *,
    unit: Unit,
    amount: Decimal,
    paid_on: date,
    channel: str,
    recorded_by: User,
    note: str = "",
) -> Payment:
    """Record money received from a unit's owner, and log it in the money log.

    Partial payments are allowed; the unit's total never exceeds its due (area × rate):
    the contribution is a fixed one-off sum, so an overpayment is a counting mistake.
    """
    # Two payments for one unit at once could together exceed the due: lock the unit.
    locked = Unit.objects.select_for_update().select_related("campaign").get(pk=unit.pk)
    amount = Decimal(amount)
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"amount": _("The amount must be positive, in yuan to the fen.")})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("The payment date cannot be in the future.")})
    outstanding = locked.due - locked.paid_total
    if amount > outstanding:
        raise ValidationError(
            {
                "amount": _("This unit owes ¥%(outstanding)s; ¥%(amount)s is more.")
                % {"outstanding": outstanding, "amount": amount}
            }
        )
    payment = Payment(
        unit=locked,
        amount=amount,
        paid_on=paid_on,
        channel=Payment.Channel(channel),
        note=note.strip(),
        recorded_by=recorded_by,
    )
    payment.full_clean()
    payment.save()
    locked.paid_total += amount
    locked.save(update_fields=["paid_total"])
    unit.paid_total = locked.paid_total
    MoneyEvent.objects.create(
        kind=MoneyEvent.Kind.CONTRIBUTION,
        amount=amount,
        actor=recorded_by,
        subject_type="funds.payment",
        subject_id=payment.pk,
        note=f"{locked.campaign.building} {locked.label}"[:200],
    )
    return payment


@transaction.atomic
def payment_correct(*, payment: Payment, amount: Decimal, reason: str, recorded_by: User) -> Payment:
    """Take back (part of) a payment recorded in error: a new negative payment and a
    correction in the money log. Nothing recorded before is changed.

    At most what is left of the payment after earlier corrections can be taken back.
    """
    # Two corrections of one payment at once could take back more than was paid: lock the unit.
    unit = Unit.objects.select_for_update().select_related("campaign").get(pk=payment.unit_id)
    original = Payment.objects.get(pk=payment.pk)
    if original.is_correction:
        raise ValidationError(_("A correction cannot itself be corrected; record a new payment instead."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Please give the reason for the correction.")})
    amount = Decimal(amount)
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"amount": _("The amount must be positive, in yuan to the fen.")})
    left = original.amount + sum(original.corrections.values_list("amount", flat=True))
    if amount > left:
        raise ValidationError(
            {
                "amount": _("Only ¥%(left)s of this payment is left to take back; ¥%(amount)s is more.")
                % {"left": left, "amount": amount}
            }
        )
    correction = Payment(
        unit=unit,
        amount=-amount,
        paid_on=timezone.localdate(),
        channel=original.channel,
        note=reason[:200],
        recorded_by=recorded_by,
        corrects=original,
    )
    correction.full_clean()
    correction.save()
    unit.paid_total -= amount
    unit.save(update_fields=["paid_total"])
    MoneyEvent.objects.create(
        kind=MoneyEvent.Kind.CORRECTION,
        amount=-amount,
        actor=recorded_by,
        subject_type="funds.payment",
        subject_id=correction.pk,
        note=f"{unit.campaign.building} {unit.label}: {reason}"[:200],
    )
    return correction
