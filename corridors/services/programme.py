"""Programme years and themes: the street's set-up of the warm-corridor programme (DESIGN.md §2).

Staff of a street configure its own years and theme list; nothing is hard-coded. Checks
already scheduled and awards already made keep the rule and amounts they were given.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from corridors.access import scope_of
from corridors.models import ProgrammeYear, Street, Theme, User
from corridors.services.applications import ApplicationError

YEAR_FIELDS = (
    "year",
    "window_opens",
    "window_closes",
    "consent_numerator",
    "consent_denominator",
    "culture_fund_amount",
    "renovation_cap",
    "criterion_max",
    "pass_total_min",
    "pass_each_min",
    "annual_budget",
)


def _require_staff(actor: User, street_id: int) -> None:
    if street_id not in scope_of(actor).staff_streets:
        raise ApplicationError(_("Only the street office staff of this street may change its programme."))


def _check_rule(year: ProgrammeYear) -> None:
    if year.pass_total_min > year.criterion_max * 5:
        raise ValidationError(
            {
                "pass_total_min": _("The passing total cannot be above %(most)s (five criteria).")
                % {"most": year.criterion_max * 5}
            }
        )


def _save(year: ProgrammeYear) -> ProgrammeYear:
    taken = ProgrammeYear.objects.filter(street_id=year.street_id, year=year.year).exclude(pk=year.pk)
    if taken.exists():
        raise ValidationError({"year": _("This street already has a programme for %(year)s.") % {"year": year.year}})
    year.full_clean()
    _check_rule(year)
    try:
        # Two staff creating the same year at once: the unique constraint keeps one.
        with transaction.atomic():
            year.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"year": _("This street already has a programme for %(year)s.") % {"year": year.year}}
        ) from exc
    return year


@transaction.atomic
def programme_year_create(*, actor: User, street: Street, **values) -> ProgrammeYear:
    """Open a programme year for the actor's street (one per street and year)."""
    _require_staff(actor, street.pk)
    year = ProgrammeYear(street=street, **{name: values[name] for name in YEAR_FIELDS if name in values})
    return _save(year)


@transaction.atomic
def programme_year_update(*, programme_year: ProgrammeYear, actor: User, **values) -> ProgrammeYear:
    """Change a programme year's window, amounts, consent share and pass rule."""
    locked = ProgrammeYear.objects.select_for_update().get(pk=programme_year.pk)
    _require_staff(actor, locked.street_id)
    for name in YEAR_FIELDS:
        if name in values:
            setattr(locked, name, values[name])
    return _save(locked)


def _theme_name(street_id: int, name: str, exclude_pk: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the theme a name.")})
    taken = Theme.objects.filter(street_id=street_id, name=name).exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"name": _("This street already has the theme “%(name)s”.") % {"name": name}})
    return name


@transaction.atomic
def theme_add(*, actor: User, street: Street, name: str) -> Theme:
    """Add a theme at the end of the street's list."""
    _require_staff(actor, street.pk)
    name = _theme_name(street.pk, name)
    last = Theme.objects.filter(street=street).order_by("-position").first()
    try:
        with transaction.atomic():  # the unique constraint behind the check above
            return Theme.objects.create(street=street, name=name, position=(last.position + 1) if last else 0)
    except IntegrityError as exc:
        raise ValidationError({"name": _("This street already has the theme “%(name)s”.") % {"name": name}}) from exc


@transaction.atomic
def theme_rename(*, theme: Theme, actor: User, name: str) -> Theme:
    """Rename a theme; applications that chose it show the new name."""
    locked = Theme.objects.select_for_update().get(pk=theme.pk)
    _require_staff(actor, locked.street_id)
    locked.name = _theme_name(locked.street_id, name, exclude_pk=locked.pk)
    locked.save(update_fields=["name"])
    return locked


@transaction.atomic
def theme_set_active(*, theme: Theme, actor: User, is_active: bool) -> Theme:
    """Withdraw a theme from new applications (or offer it again); existing ones keep it."""
    locked = Theme.objects.select_for_update().get(pk=theme.pk)
    _require_staff(actor, locked.street_id)
    locked.is_active = is_active
    locked.save(update_fields=["is_active"])
    return locked
