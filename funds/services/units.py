"""The roll of units: its import from a spreadsheet, and corrections of a unit before payment."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from common.spreadsheets import SheetLimits, SpreadsheetError, cell_text, read_rows
from corridors.models import User
from funds.models import Campaign, Unit, UnitChange
from funds.pagecache import campaign_units_changed
from funds.selectors import require_campaign_role
from funds.services.tallies import UnitState, campaign_tally_recompute, campaign_tally_unit_changed

# --- Import ---------------------------------------------------------------------------

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
# A roll of 5,000 units is about 300 KB as CSV: anything near the byte cap is not a roll.
ROLL_LIMITS = SheetLimits(max_bytes=2 * 1024 * 1024, max_rows=MAX_IMPORT_ROWS, max_columns=30, max_cell_chars=200)
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
    return str(Unit._meta.get_field(COLUMN_FIELDS[column]).verbose_name)  # type: ignore[union-attr]


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


def _parse_roll(
    rows: list[tuple[int, list]], existing_labels: set[str], existing_owners: dict[str, str] | None = None
) -> tuple[list[dict], list[ImportProblem]]:
    """The roll's units, or every bad line with its reasons. ``rows`` are ``(line, cells)``
    as ``common.spreadsheets.read_rows`` gives them; ``existing_owners`` maps the owner keys
    already on the roll to their owners' names."""
    existing_owners = existing_owners or {}
    problems: list[ImportProblem] = []
    lines = [line for line, _cells in rows]
    texts = [[cell_text(c) for c in cells] for _line, cells in rows]
    if not texts or not any(texts[0]):
        return [], [ImportProblem(0, _("The file is empty."))]
    lookup = _header_lookup()
    header = [lookup.get(c.lower(), c.lower()) for c in texts[0]]
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

    def cell(row, column):
        i = positions.get(column)
        return row[i] if i is not None and i < len(row) else ""

    parsed: list = []
    seen: dict[str, int] = {}
    owners_seen: dict[str, tuple[str, int]] = {}  # owner key -> (name, first line)
    for line, row in zip(lines[1:], texts[1:], strict=True):
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
def units_import(*, campaign: Campaign, actor: User, file) -> int:
    """Add the units of an .xlsx/.csv roll. All rows or none: any bad row rejects the file.

    ``file`` is the upload (anything with ``read``, ``seek``, ``name`` and ``size``): its
    size is checked before a byte is read, then ``common.spreadsheets.read_rows`` reads it
    within ``ROLL_LIMITS``. Raises ``ImportRejected`` listing every bad line with its
    reason (line 0: the whole file). Returns the number of units added. Units already on
    the roll (same label) are reported, never replaced.
    """
    require_campaign_role(actor, campaign, "manage")
    try:
        rows = read_rows(file, limits=ROLL_LIMITS)
    except SpreadsheetError as error:
        raise ImportRejected([ImportProblem(0, error.message)]) from error
    # Two imports at once could both pass the duplicate check: lock the campaign.
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    existing = set(campaign.units.values_list("label", flat=True))
    owners = dict(campaign.units.values_list("owner_key", "owner_name"))
    parsed, problems = _parse_roll(rows, existing, owners)
    if problems:
        raise ImportRejected(problems)
    Unit.objects.bulk_create([Unit(campaign=campaign, **row) for row in parsed])
    campaign_tally_recompute(campaign=campaign)
    campaign_units_changed(campaign.pk)  # bulk_create sends no signal: the notice changes
    return len(parsed)


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
    locked = Unit.objects.select_for_update(of=("self",)).select_related("campaign__building__compound").get(pk=unit.pk)
    require_campaign_role(changed_by, locked.campaign, "manage")
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
    before = UnitState.of(locked)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save(update_fields=list(changes))
    campaign_tally_unit_changed(unit=locked, before=before)
    for name in changes:
        setattr(unit, name, getattr(locked, name))
    return UnitChange.objects.create(unit=locked, changes=changes, reason=reason, changed_by=changed_by)
