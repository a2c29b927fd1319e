"""Import a neighbourhood's compounds, buildings and building groups from .xlsx or .csv.

One row per building group. Compounds and buildings are created or reused by name.
Every row is checked before anything is written; a file with any bad row writes nothing,
and every bad row is reported with its line number so staff can fix the file in one go.
Importing the same file twice changes nothing the second time.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.spreadsheets import SheetLimits, SpreadsheetError, cell_text, is_blank, read_rows
from corridors.models import Building, BuildingGroup, Compound, Neighbourhood, Street
from corridors.services.places import building_create, compound_create, group_create, neighbourhood_create

MAX_ROWS = 2000

# Column key -> accepted headers (compared without spaces, case-insensitively).
COLUMNS = {
    "compound": ("小区", "compound"),
    "building": ("楼栋", "building"),
    "floors": ("楼层数", "floors"),
    "households": ("总户数", "buildinghouseholds", "households"),
    "elevators": ("电梯数", "elevators"),
    "year_built": ("建成年份", "yearbuilt"),
    "group": ("楼组", "groupname", "group", "buildinggroup"),
    "group_households": ("楼组户数", "grouphouseholds"),
}
REQUIRED = ("compound", "building", "floors", "households", "group", "group_households")
# A street's whole tree in one file (``import_street_tree``): two more columns in front.
TREE_COLUMNS = {
    "neighbourhood": ("居民区", "社区", "neighbourhood"),
    "committee": ("居委会", "居委会名称", "residentscommittee", "committee"),
}
TREE_REQUIRED = ("neighbourhood", *REQUIRED)
TREE_TEMPLATE_HEADERS = (
    "居民区",
    "居委会",
    "小区",
    "楼栋",
    "楼层数",
    "总户数",
    "电梯数",
    "建成年份",
    "楼组",
    "楼组户数",
)
# The headers of the downloadable template, in this order.
TEMPLATE_HEADERS = ("小区", "楼栋", "楼层数", "总户数", "电梯数", "建成年份", "楼组", "楼组户数")
COLUMN_LABELS = {
    "compound": gettext_lazy("Compound (小区)"),
    "building": gettext_lazy("Building (楼栋)"),
    "floors": gettext_lazy("Floors (楼层数)"),
    "households": gettext_lazy("Building households (总户数)"),
    "elevators": gettext_lazy("Elevators (电梯数)"),
    "year_built": gettext_lazy("Year built (建成年份)"),
    "group": gettext_lazy("Building group (楼组)"),
    "group_households": gettext_lazy("Group households (楼组户数)"),
}
COLUMN_LABELS["neighbourhood"] = gettext_lazy("Neighbourhood (居民区)")
COLUMN_LABELS["committee"] = gettext_lazy("Residents' committee (居委会)")
MAX_LENGTH = {"compound": 100, "building": 50, "group": 50, "neighbourhood": 100, "committee": 100}
# At most nine digits: no figure here comes near a billion, and int() of a huge string is slow.
_WHOLE_NUMBER = re.compile(r"([+-]?[0-9]{1,9})(?:\.0*)?")
_HEADER_LOOKUP = {alias: key for key, aliases in COLUMNS.items() for alias in aliases}
_TREE_LOOKUP = {**_HEADER_LOOKUP, **{alias: key for key, aliases in TREE_COLUMNS.items() for alias in aliases}}


@dataclass(frozen=True)
class RowError:
    line: int | None  # None: the file as a whole
    message: str


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    compounds_created: int = 0
    buildings_created: int = 0
    groups_created: int = 0
    groups_present: int = 0
    neighbourhoods_created: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    line: int
    compound: str
    building: str
    floors: int
    households: int
    elevators: int
    year_built: int | None
    group: str
    group_households: int
    neighbourhood: str = ""  # only in a street's tree
    committee: str = ""

    @property
    def figures(self) -> tuple:
        return (self.floors, self.households, self.elevators, self.year_built)


class _FileError(SpreadsheetError):
    """The file as a whole cannot be imported (no header, unknown columns...)."""


def _limits() -> SheetLimits:
    # Read at each import, so a changed setting takes effect (and tests may change it).
    return SheetLimits(max_bytes=settings.UPLOAD_MAX_BYTES, max_rows=MAX_ROWS)


def import_places(*, neighbourhood: Neighbourhood, file) -> ImportResult:
    """Check every row of ``file`` (an uploaded .xlsx or .csv), then create what is missing.

    Returns the counts, or the errors with nothing written. Never raises for a bad file.
    """
    result = ImportResult()
    try:
        rows = _parse(read_rows(file, limits=_limits()), result)
    except SpreadsheetError as error:
        result.errors.append(RowError(error.line, error.message))
        return result
    result.rows = len(rows)
    if result.errors:
        return result
    with transaction.atomic():
        # Two imports into one neighbourhood at once would both create the same compound.
        Neighbourhood.objects.select_for_update().filter(pk=neighbourhood.pk).first()
        plan = _check_against_database(neighbourhood, rows, result)
        if result.errors:
            return result
        _write(neighbourhood, plan, result)
    return result


def import_street_tree(*, street: Street, file) -> ImportResult:
    """A street's whole tree from one file: one row per building group, with its neighbourhood
    (居民区) and residents' committee (居委会) in front. Neighbourhoods, compounds and buildings
    are created or reused by name; every row is checked first and a file with any bad row
    writes nothing (new neighbourhoods included). Importing the same file again changes nothing.
    """
    result = ImportResult()
    try:
        rows = _parse(read_rows(file, limits=_limits()), result, tree=True)
    except SpreadsheetError as error:
        result.errors.append(RowError(error.line, error.message))
        return result
    result.rows = len(rows)
    if result.errors:
        return result
    by_neighbourhood: dict[str, list[_Row]] = {}
    for row in rows:
        by_neighbourhood.setdefault(row.neighbourhood, []).append(row)
    with transaction.atomic():
        # Two imports into one street at once would both create the same neighbourhood.
        Street.objects.select_for_update().filter(pk=street.pk).first()
        existing = {n.name: n for n in Neighbourhood.objects.filter(street=street)}
        plans = []
        for name, its_rows in by_neighbourhood.items():
            neighbourhood = existing.get(name)
            committee = next((r.committee for r in its_rows if r.committee), "")
            if neighbourhood is None:
                try:
                    neighbourhood = neighbourhood_create(
                        street=street, name=name, committee_name=committee or f"{name}居委会"
                    )
                except ValidationError as error:
                    result.errors.append(RowError(its_rows[0].line, " ".join(error.messages)))
                    continue
                result.neighbourhoods_created += 1
            elif committee and committee != neighbourhood.committee_name:
                result.errors.append(
                    RowError(
                        its_rows[0].line,
                        _("The neighbourhood %(name)s already exists with the residents' committee %(committee)s.")
                        % {"name": name, "committee": neighbourhood.committee_name},
                    )
                )
                continue
            plans.append((neighbourhood, _check_against_database(neighbourhood, its_rows, result)))
        if not result.errors:
            for neighbourhood, plan in plans:
                _write(neighbourhood, plan, result)
                if result.errors:
                    break
        if result.errors:
            transaction.set_rollback(True)
            result.errors.sort(key=lambda e: e.line or 0)
            result.neighbourhoods_created = result.compounds_created = 0
            result.buildings_created = result.groups_created = result.groups_present = 0
    return result


# --- Checking rows -------------------------------------------------------------------


def _header_key(value) -> str:
    return "".join(str(value or "").split()).lower()


def _columns(line: int, values, tree: bool = False) -> dict[str, int]:
    """Column key -> index, from the header row; unknown or missing headers are file errors."""
    columns, problems = {}, []
    lookup = _TREE_LOOKUP if tree else _HEADER_LOOKUP
    for index, value in enumerate(values):
        if value is None or not str(value).strip():
            continue
        key = lookup.get(_header_key(value))
        if key is None:
            problems.append(_("Unknown column “%(header)s”.") % {"header": str(value).strip()})
        elif key in columns:
            problems.append(_("The column “%(header)s” appears twice.") % {"header": str(value).strip()})
        else:
            columns[key] = index
    for key in TREE_REQUIRED if tree else REQUIRED:
        if key not in columns:
            problems.append(_("The column “%(header)s” is missing.") % {"header": COLUMN_LABELS[key]})
    if problems:
        raise _FileError(" ".join(problems), line)
    return columns


def _whole_number(value) -> int:
    """Raise ValueError unless the cell holds a whole number (12, 12.0, "12", "１２", "1,200")."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError
        return int(value)
    # NFKC turns full-width digits (typed with a Chinese input method) into ASCII ones.
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
    match = _WHOLE_NUMBER.fullmatch(text)
    if match is None:
        raise ValueError
    return int(match.group(1))


def _parse(lines, result: ImportResult, tree: bool = False) -> list[_Row]:
    """Turn the lines into rows, adding an error for every bad row (checks within the file)."""
    header = None
    rows: list[_Row] = []
    groups_seen: dict[tuple, int] = {}
    buildings_seen: dict[tuple, _Row] = {}
    building_totals: dict[tuple, int] = {}
    committees: dict[str, _Row] = {}
    # ``read_rows`` already refused a file too large, too long or too wide, and dropped
    # the blank rows after the data.
    for line, values in lines:
        if is_blank(values):
            continue
        if header is None:
            header = _columns(line, values, tree)
            continue
        row = _parse_row(line, values, header, result, tree)
        if row is None:
            continue
        if tree and row.committee:
            first_committee = committees.setdefault(row.neighbourhood, row)
            if first_committee.committee != row.committee:
                result.errors.append(
                    RowError(
                        line,
                        _("The residents' committee of %(name)s differs from line %(line)s.")
                        % {"name": row.neighbourhood, "line": first_committee.line},
                    )
                )
                continue
        group_key = (row.neighbourhood, row.compound, row.building, row.group)
        building_key = (row.neighbourhood, row.compound, row.building)
        if group_key in groups_seen:
            result.errors.append(
                RowError(
                    line,
                    _("This building group is already on line %(line)s.") % {"line": groups_seen[group_key]},
                )
            )
            continue
        groups_seen[group_key] = line
        first = buildings_seen.setdefault(building_key, row)
        if first.figures != row.figures:
            result.errors.append(
                RowError(
                    line,
                    _("The building's figures (floors, households, elevators, year) differ from line %(line)s.")
                    % {"line": first.line},
                )
            )
            continue
        building_totals[building_key] = building_totals.get(building_key, 0) + row.group_households
        if building_totals[building_key] > row.households:
            result.errors.append(
                RowError(
                    line,
                    _(
                        "The groups of this building add up to %(total)s households so far, "
                        "more than the building's %(households)s."
                    )
                    % {"total": building_totals[building_key], "households": row.households},
                )
            )
            continue
        rows.append(row)
    if header is None:
        raise _FileError(_("The file is empty: it has no header row and no data."))
    if not rows and not result.errors:
        raise _FileError(_("The file has a header row but no data rows."))
    return rows


def _parse_row(line: int, values, header: dict[str, int], result: ImportResult, tree: bool = False) -> _Row | None:
    def cell(key):
        index = header.get(key)
        if index is None or index >= len(values):
            return None
        return values[index]

    problems = []
    texts = {}
    for key in ("neighbourhood", "compound", "building", "group") if tree else ("compound", "building", "group"):
        texts[key] = cell_text(cell(key))
        if not texts[key]:
            problems.append(_("%(column)s is missing.") % {"column": COLUMN_LABELS[key]})
        elif len(texts[key]) > MAX_LENGTH[key]:
            problems.append(
                _("%(column)s is longer than %(max)s characters.")
                % {"column": COLUMN_LABELS[key], "max": MAX_LENGTH[key]}
            )
    numbers = {}
    for key, required, minimum, maximum in (
        ("floors", True, 1, 200),
        ("households", True, 1, 100_000),
        ("elevators", False, 0, 100),
        ("year_built", False, 1800, 2200),
        ("group_households", True, 1, 100_000),
    ):
        value = cell(key)
        if value is None or cell_text(value) == "":
            if required:
                problems.append(_("%(column)s is missing.") % {"column": COLUMN_LABELS[key]})
            numbers[key] = 0 if key == "elevators" else None
            continue
        try:
            number = _whole_number(value)
        except ValueError:
            problems.append(
                _("%(column)s is not a whole number: “%(value)s”.")
                % {"column": COLUMN_LABELS[key], "value": cell_text(value)}
            )
            continue
        if not minimum <= number <= maximum:
            problems.append(
                _("%(column)s must be between %(min)s and %(max)s.")
                % {"column": COLUMN_LABELS[key], "min": minimum, "max": maximum}
            )
            continue
        numbers[key] = number
    if not problems and numbers["group_households"] > numbers["households"]:
        problems.append(
            _("The group has %(group)s households, more than its building's %(building)s.")
            % {"group": numbers["group_households"], "building": numbers["households"]}
        )
    if tree:
        texts["committee"] = cell_text(cell("committee"))
        if len(texts["committee"]) > MAX_LENGTH["committee"]:
            problems.append(
                _("%(column)s is longer than %(max)s characters.")
                % {"column": COLUMN_LABELS["committee"], "max": MAX_LENGTH["committee"]}
            )
    if problems:
        result.errors.append(RowError(line, " ".join(problems)))
        return None
    return _Row(line=line, **texts, **numbers)


# --- Against the database, then writing ----------------------------------------------


@dataclass
class _Plan:
    new_rows: list[_Row]
    compounds: dict[str, Compound]
    buildings: dict[tuple, Building]


def _check_against_database(neighbourhood: Neighbourhood, rows: list[_Row], result: ImportResult) -> _Plan:
    """Existing buildings must have the file's figures; existing groups are 'already present'."""
    compounds = {c.name: c for c in Compound.objects.filter(neighbourhood=neighbourhood)}
    buildings = {
        (b.compound.name, b.name): b
        for b in Building.objects.filter(compound__neighbourhood=neighbourhood).select_related("compound")
    }
    groups = {
        (g.building.compound.name, g.building.name, g.name): g
        for g in BuildingGroup.objects.filter(building__compound__neighbourhood=neighbourhood).select_related(
            "building__compound"
        )
    }
    # Households of the active groups already there that the file does not mention.
    file_groups = {(r.compound, r.building, r.group) for r in rows}
    outside_file: dict[tuple, int] = {}
    for key, group in groups.items():
        if group.is_active and key not in file_groups:
            outside_file[key[:2]] = outside_file.get(key[:2], 0) + group.households
    totals: dict[tuple, int] = {}
    new_rows = []
    for row in rows:
        building = buildings.get((row.compound, row.building))
        if building is not None:
            figures = (building.floors, building.households, building.elevators, building.year_built)
            if figures != row.figures:
                result.errors.append(
                    RowError(
                        row.line,
                        _(
                            "The building %(building)s already exists with other figures "
                            "(%(floors)s floors, %(households)s households, %(elevators)s elevators, year %(year)s)."
                        )
                        % {
                            "building": building,
                            "floors": building.floors,
                            "households": building.households,
                            "elevators": building.elevators,
                            "year": building.year_built or "—",
                        },
                    )
                )
                continue
        group = groups.get((row.compound, row.building, row.group))
        if group is not None:
            if group.households != row.group_households:
                result.errors.append(
                    RowError(
                        row.line,
                        _("This building group already exists with %(households)s households.")
                        % {"households": group.households},
                    )
                )
            else:
                result.groups_present += 1
            continue
        key = (row.compound, row.building)
        totals[key] = totals.get(key, outside_file.get(key, 0)) + row.group_households
        if totals[key] > row.households:
            result.errors.append(
                RowError(
                    row.line,
                    _(
                        "With the groups already recorded, this building's groups would have %(total)s households, "
                        "more than the building's %(households)s."
                    )
                    % {"total": totals[key], "households": row.households},
                )
            )
            continue
        new_rows.append(row)
    return _Plan(new_rows=new_rows, compounds=compounds, buildings=buildings)


def _write(neighbourhood: Neighbourhood, plan: _Plan, result: ImportResult) -> None:
    try:
        for row in plan.new_rows:
            compound = plan.compounds.get(row.compound)
            if compound is None:
                compound = plan.compounds[row.compound] = compound_create(
                    neighbourhood=neighbourhood, name=row.compound
                )
                result.compounds_created += 1
            building = plan.buildings.get((row.compound, row.building))
            if building is None:
                building = plan.buildings[(row.compound, row.building)] = building_create(
                    compound=compound,
                    name=row.building,
                    floors=row.floors,
                    households=row.households,
                    elevators=row.elevators,
                    year_built=row.year_built,
                )
                result.buildings_created += 1
            group_create(building=building, name=row.group, households=row.group_households)
            result.groups_created += 1
    except ValidationError as error:
        # Checked above already; should a service still refuse a row, roll back everything.
        transaction.set_rollback(True)
        result.errors.append(RowError(row.line, " ".join(error.messages)))
        result.compounds_created = result.buildings_created = result.groups_created = 0
