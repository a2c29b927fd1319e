"""Programme years and themes: the street's set-up of the warm-corridor programme (DESIGN.md §2).

Staff of a street configure its own years and theme list; nothing is hard-coded. Checks
already scheduled and awards already made keep the rule and amounts they were given.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common import streetlists
from common.hooks import call_hooks
from common.money import yuan
from common.streetlists import ListWords
from corridors.models import ProgrammeYear, ReminderPolicy, Street, Theme, User
from corridors.selectors import require_street_staff

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
# The money settings: a change to any of them is told to the apps that keep the money log.
MONEY_FIELDS = ("culture_fund_amount", "renovation_cap", "annual_budget")


def _check_rule(year: ProgrammeYear) -> None:
    if year.pass_total_min > year.criterion_max * 5:
        raise ValidationError(
            {
                "pass_total_min": _("The passing total cannot be above %(most)s (five criteria).")
                % {"most": year.criterion_max * 5}
            }
        )


def programme_year_committed(year: ProgrammeYear) -> Decimal:
    """What is already committed from the year's budget (funds: its approved and paid payouts).

    An app that spends the budget defines ``programme_year_committed(year) -> Decimal`` on its
    AppConfig; corridors sums them and never imports those apps (docs/architecture.md).
    """
    return sum(call_hooks("programme_year_committed", year), Decimal("0.00"))


def _tell_money_changed(year: ProgrammeYear, actor: User, changes: dict) -> None:
    """Let the apps that keep the money log record a change of the year's money settings
    (``programme_year_money_changed(year, actor, changes)`` on their AppConfig)."""
    call_hooks("programme_year_money_changed", year, actor, changes)


def culture_fund_not_positive() -> str:
    return _("The culture fund per corridor must be more than ¥0.00: every awarded corridor receives it.")


def budget_below_committed(year_number: int, budget: Decimal, committed: Decimal) -> str:
    return _(
        "The %(year)s budget cannot be %(budget)s: %(committed)s is already approved or paid from it. "
        "It must be at least %(committed)s."
    ) % {"year": year_number, "budget": yuan(budget), "committed": yuan(committed)}


def _check_money(year: ProgrammeYear, before: dict) -> None:
    if year.culture_fund_amount is not None and year.culture_fund_amount <= 0:
        raise ValidationError({"culture_fund_amount": culture_fund_not_positive()})
    if year.pk and year.annual_budget != before.get("annual_budget"):
        committed = programme_year_committed(year)
        if year.annual_budget < committed:
            raise ValidationError({"annual_budget": budget_below_committed(year.year, year.annual_budget, committed)})


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
    require_street_staff(actor, street.pk)
    year = ProgrammeYear(street=street, **{name: values[name] for name in YEAR_FIELDS if name in values})
    _check_money(year, {})
    _save(year)
    _tell_money_changed(year, actor, {name: (None, getattr(year, name)) for name in MONEY_FIELDS})
    return year


@transaction.atomic
def programme_year_update(*, programme_year: ProgrammeYear, actor: User, **values) -> ProgrammeYear:
    """Change a programme year's window, amounts, consent share and pass rule.

    The culture fund stays above zero, and the annual budget never goes below what is
    already approved or paid from it (under the year's row lock, which payout approvals
    take too). A change of the money settings is written to the money log.
    """
    # A payout approved while the budget is lowered: approvals lock this row too.
    locked = ProgrammeYear.objects.select_for_update().get(pk=programme_year.pk)
    require_street_staff(actor, locked.street_id)
    before = {name: getattr(locked, name) for name in MONEY_FIELDS}
    for name in YEAR_FIELDS:
        if name in values:
            setattr(locked, name, values[name])
    _check_money(locked, before)
    _save(locked)
    changes = {
        name: (before[name], getattr(locked, name)) for name in MONEY_FIELDS if getattr(locked, name) != before[name]
    }
    if changes:
        _tell_money_changed(locked, actor, changes)
    return locked


THEME_WORDS = ListWords(
    no_name=gettext_lazy("Give the theme a name."),
    taken=gettext_lazy("This street already has the theme “%(name)s”."),
)


def theme_add(*, actor: User, street: Street, name: str) -> Theme:
    """Add a theme at the end of the street's list."""
    require_street_staff(actor, street.pk)
    return streetlists.entry_add(Theme, street_id=street.pk, name=name, words=THEME_WORDS)


def theme_rename(*, theme: Theme, actor: User, name: str) -> Theme:
    """Rename a theme; applications that chose it show the new name."""
    require_street_staff(actor, theme.street_id)
    return streetlists.entry_rename(Theme, entry=theme, name=name, words=THEME_WORDS)


def theme_set_active(*, theme: Theme, actor: User, is_active: bool) -> Theme:
    """Withdraw a theme from new applications (or offer it again); existing ones keep it."""
    require_street_staff(actor, theme.street_id)
    return streetlists.entry_set_active(Theme, entry=theme, active=is_active)


# --- Reminder settings ---------------------------------------------------------------

REMINDER_FIELDS = (
    "enabled",
    "waiting_days",
    "inspection_days",
    "payout_days",
    "escalate_days",
    "street_escalate_days",
)


@transaction.atomic
def reminder_policy_set(*, street: Street, actor: User, **values) -> ReminderPolicy:
    """Set the street's reminder settings (the morning reminders read them; none: the defaults)."""
    require_street_staff(actor, street.pk)
    unknown = set(values) - set(REMINDER_FIELDS)
    if unknown:
        raise ValueError(f"not reminder settings: {sorted(unknown)}")
    # Two staff saving at once: the row is created once (OneToOne), the last save stands.
    policy, _created = ReminderPolicy.objects.select_for_update().get_or_create(street=street)
    for name, value in values.items():
        setattr(policy, name, value)
    policy.full_clean()
    policy.save()
    return policy
