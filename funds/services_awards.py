"""Acceptance checks and awards: every write, one function per action (STYLE.md "Services").

The application's own workflow lives in corridors; these services move it through the
corridors service functions (``application_pass_inspection`` ...) in the same
transaction, so a check, its award and the application's state are written together or
not at all. A refused write raises ``Refused`` with the reason and changes nothing.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from common.templatetags.common import yuan
from common.uploads import ProcessedImage
from corridors.models import Application, ProgrammeYear, Role, RoleAssignment, User
from corridors.selectors import scope_of
from corridors.services.applications import (
    ApplicationError,
    application_fail_inspection,
    application_pass_inspection,
    application_request_reinspection,
)
from corridors.workflows.application import State
from funds.models import SCORE_FIELDS, AcceptanceCheck, Award, CheckPhoto, Payout, judge


class Refused(Exception):
    """A write the rules do not allow now; ``reason`` is shown to the user as it is."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def money(value: Decimal) -> str:
    return yuan(value)


def violated_constraint(error: IntegrityError) -> str | None:
    """The name of the database constraint behind an ``IntegrityError`` (PostgreSQL reports it)."""
    return getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)


def refused_by_database(error: IntegrityError) -> Refused:
    """A refusal for a constraint no check before the write foresaw: honest, and names the rule."""
    return Refused(
        _(
            "The database refused this change (rule “%(rule)s”), so nothing was saved. "
            "Please look at the page again; if it happens again, tell the system administrator."
        )
        % {"rule": violated_constraint(error) or "?"}
    )


def street_id_of_application(application: Application) -> int:
    return application.group.building.compound.neighbourhood.street_id


def _require_staff(actor: User, street_id: int) -> None:
    if street_id not in scope_of(actor).staff_streets:
        raise Refused(_("Only the street office staff of this street may do this."))


def inspectors_available(street_id: int):
    """Who may inspect: the street's office staff and the committee staff of its neighbourhoods."""
    return User.objects.filter(
        is_active=True,
        pk__in=RoleAssignment.objects.filter(street_id=street_id, role__in=[Role.STREET_STAFF, Role.COMMITTEE]).values(
            "user_id"
        ),
    ).order_by("full_name", "username")


# --- Acceptance checks -------------------------------------------------------------------


def _lock_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("group__building__compound__neighbourhood", "programme_year")
        .get(pk=application.pk)
    )


@transaction.atomic
def check_schedule(*, application: Application, actor: User, scheduled_for, inspectors: list[User]) -> AcceptanceCheck:
    """Schedule the acceptance check of an application whose leader asked for it.

    The check copies the programme year's pass rule. One open check per application
    (re-checked under the application's row lock, and a partial unique constraint).
    """
    # Two staff scheduling at once: the second waits here and then finds the first check.
    locked = _lock_application(application)
    street_id = street_id_of_application(locked)
    _require_staff(actor, street_id)
    if locked.state != State.INSPECTION_REQUESTED:
        raise Refused(
            _("The application is “%(state)s”; a check can be scheduled only when an inspection is requested.")
            % {"state": locked.get_state_display()}
        )
    if AcceptanceCheck.objects.filter(application=locked, outcome=AcceptanceCheck.Outcome.SCHEDULED).exists():
        raise Refused(_("A check is already scheduled for this application."))
    inspectors = list(inspectors)
    if not inspectors:
        raise ValidationError({"inspectors": _("Choose at least one inspector.")})
    allowed = set(inspectors_available(street_id).values_list("pk", flat=True))
    if any(user.pk not in allowed for user in inspectors):
        raise ValidationError({"inspectors": _("Inspectors must be staff of this street or its committees.")})
    year = locked.programme_year
    last_round = AcceptanceCheck.objects.filter(application=locked).aggregate(n=Max("round"))["n"] or 0
    check = AcceptanceCheck(
        application=locked,
        round=last_round + 1,
        scheduled_for=scheduled_for,
        criterion_max=year.criterion_max,
        pass_total_min=year.pass_total_min,
        pass_each_min=year.pass_each_min,
        scheduled_by=actor,
    )
    try:
        with transaction.atomic():
            check.save()
    except IntegrityError as exc:  # the constraints behind the application's row lock
        if violated_constraint(exc) in ("check_one_open_per_application", "check_unique_round"):
            raise Refused(_("A check is already scheduled for this application.")) from exc
        raise refused_by_database(exc) from exc
    check.inspectors.set(inspectors)
    return check


def already_recorded(check: AcceptanceCheck) -> str:
    """Why scores cannot be recorded on a decided check (the page shows it on a stale form)."""
    return _("This check was already recorded: %(outcome)s. Nothing was changed.") % {
        "outcome": check.get_outcome_display()
    }


@transaction.atomic
def check_record_scores(
    *,
    check: AcceptanceCheck,
    actor: User,
    scores: dict[str, int],
    remarks: str = "",
    rectification_items: str = "",
    photos: list[tuple[ProcessedImage, str]] = (),
) -> AcceptanceCheck:
    """Record the scores of a scheduled check; the outcome follows the check's rule.

    Passed: the application becomes “awarded” and the award is created. Failed: the
    application goes to rectification with the listed items (at least one required),
    and the leader may ask for a new inspection. Recorded once: a second attempt, or two
    inspectors submitting at once, is refused.
    """
    # Two inspectors submitting at once: the row lock makes the second see the first outcome.
    locked = AcceptanceCheck.objects.select_for_update(of=("self",)).select_related("application").get(pk=check.pk)
    application = _lock_application(locked.application)
    _require_staff(actor, street_id_of_application(application))
    if not locked.is_open:
        raise Refused(already_recorded(locked))
    errors = {}
    values = {}
    for name, field in SCORE_FIELDS.items():
        value = scores.get(name)
        if value is None or not 0 <= int(value) <= locked.criterion_max:
            errors[field] = _("Give a score from 0 to %(max)s.") % {"max": locked.criterion_max}
        else:
            values[name] = int(value)
    if errors:
        raise ValidationError(errors)
    verdict = judge(values, total_min=locked.pass_total_min, each_min=locked.pass_each_min)
    items = "\n".join(line.strip() for line in rectification_items.splitlines() if line.strip())
    if not verdict.passed and not items:
        raise ValidationError(
            {"rectification_items": _("The check fails: list what must be fixed before the next inspection.")}
        )
    for name, value in values.items():
        setattr(locked, SCORE_FIELDS[name], value)
    locked.remarks, locked.rectification_items = remarks.strip(), items
    locked.outcome = AcceptanceCheck.Outcome.PASSED if verdict.passed else AcceptanceCheck.Outcome.FAILED
    locked.recorded_by, locked.recorded_at = actor, timezone.now()
    locked.save(
        update_fields=[
            *SCORE_FIELDS.values(),
            "remarks",
            "rectification_items",
            "outcome",
            "recorded_by",
            "recorded_at",
        ]
    )
    for image, alt_text in photos:
        photo = CheckPhoto(check_record=locked, alt_text=alt_text, uploaded_by=actor)
        photo.set_processed(image)
        photo.save()
    try:
        if verdict.passed:
            note = _("Acceptance check passed: %(total)s points.") % {"total": verdict.total}
            application_pass_inspection(
                application=application, actor=actor, note=note, expected_state=State.INSPECTION_REQUESTED
            )
            award_create(check=locked, actor=actor)
        else:
            application_fail_inspection(
                application=application, actor=actor, note=items, expected_state=State.INSPECTION_REQUESTED
            )
    except ApplicationError as error:
        raise Refused(error.reason) from error
    return locked


@transaction.atomic
def check_photo_add(*, check: AcceptanceCheck, actor: User, image: ProcessedImage, alt_text: str) -> CheckPhoto:
    """Add a photo to a check (scheduled or recorded) of the actor's street."""
    locked = AcceptanceCheck.objects.select_for_update(of=("self",)).get(pk=check.pk)
    application = Application.objects.select_related("group__building__compound__neighbourhood").get(
        pk=locked.application_id
    )
    _require_staff(actor, street_id_of_application(application))
    photo = CheckPhoto(check_record=locked, alt_text=alt_text, uploaded_by=actor)
    photo.set_processed(image)
    photo.save()
    return photo


def reinspection_request(*, application: Application, actor: User, note: str = "", expected_state=None) -> Application:
    """The leader reports the rectification done (the corridors step, with funds' error type)."""
    try:
        return application_request_reinspection(
            application=application, actor=actor, note=note, expected_state=expected_state
        )
    except ApplicationError as error:
        raise Refused(error.reason) from error


# --- Awards ------------------------------------------------------------------------------


def renovation_limit_for(application: Application, year: ProgrammeYear) -> Decimal:
    """The approved budget total, or the year's cap when that is lower."""
    budget = application.budget_items.aggregate(total=Sum("total"))["total"] or Decimal("0.00")
    if year.renovation_cap is not None:
        return min(budget, year.renovation_cap)
    return budget


@transaction.atomic
def award_create(*, check: AcceptanceCheck, actor: User) -> Award:
    """Award the warm-corridor title for a passed check, with the next certificate number
    of the street's programme year; the entitlements are fixed now."""
    if check.outcome != AcceptanceCheck.Outcome.PASSED:
        raise Refused(_("Only a passed check leads to an award."))
    application = Application.objects.select_related("group", "programme_year").get(pk=check.application_id)
    # Two awards in one year at once would take the same number: lock the programme year.
    year = ProgrammeYear.objects.select_for_update().get(pk=application.programme_year_id)
    _require_staff(actor, year.street_id)
    if Award.objects.filter(application=application).exists():
        raise Refused(_("This application already has its award."))
    sequence = (Award.objects.filter(programme_year=year).aggregate(n=Max("sequence"))["n"] or 0) + 1
    award = Award(
        application=application,
        check_record=check,
        group=application.group,
        programme_year=year,
        sequence=sequence,
        certificate_number=f"{year.year}-{year.street_id:02d}-{sequence:03d}",
        culture_fund_amount=year.culture_fund_amount,
        renovation_limit=renovation_limit_for(application, year),
        awarded_by=actor,
    )
    try:
        with transaction.atomic():
            award.save()
    except IntegrityError as exc:  # the last line behind the lock above
        raise Refused(_("This application already has its award.")) from exc
    return award


def _lock_award(award: Award) -> Award:
    return (
        Award.objects.select_for_update(of=("self",))
        .select_related("programme_year", "group__building__compound__neighbourhood")
        .get(pk=award.pk)
    )


def _change_status(
    award: Award,
    actor: User,
    status: str,
    reason: str,
    allowed_from: set,
    expected_status: str | None,
    cancel_reason: str | None = None,
) -> Award:
    # Local import: the payout services import this module (Refused, money).
    from funds.services_payouts import OPEN_STATES, payouts_cancel_open

    if cancel_reason is not None:
        # The award's open payouts before the award: the order every payout step locks in,
        # so a suspension and a payout step at the same moment never deadlock.
        list(Payout.objects.select_for_update().filter(award_id=award.pk, state__in=OPEN_STATES).order_by("pk"))
    locked = _lock_award(award)
    _require_staff(actor, locked.programme_year.street_id)
    if expected_status is not None and locked.status != expected_status:
        raise Refused(
            _(
                "This award changed while you were looking at it: it is now “%(status)s”. "
                "Nothing was done; please look at it again."
            )
            % {"status": locked.get_status_display()}
        )
    if not reason.strip():
        raise Refused(_("Please give a reason."))
    if locked.status not in allowed_from:
        raise Refused(
            _("The award is “%(status)s”; this is not possible now.") % {"status": locked.get_status_display()}
        )
    locked.status, locked.status_reason = status, reason.strip()
    locked.status_changed_by, locked.status_changed_at = actor, timezone.now()
    locked.save(update_fields=["status", "status_reason", "status_changed_by", "status_changed_at"])
    locked.cancelled_payouts = []
    if cancel_reason is not None:
        locked.cancelled_payouts = payouts_cancel_open(
            award=locked, actor=actor, reason=cancel_reason % {"reason": reason.strip()}
        )
    return locked


@transaction.atomic
def award_suspend(*, award: Award, actor: User, reason: str, expected_status: str | None = None) -> Award:
    """Suspend an active title (reason required).

    Its proposed and approved payouts are cancelled (each logged and told); no payout can
    be proposed, approved or paid until it is reinstated, when staff propose again.
    """
    return _change_status(
        award,
        actor,
        Award.Status.SUSPENDED,
        reason,
        {Award.Status.ACTIVE},
        expected_status,
        cancel_reason=_("Award suspended: %(reason)s"),
    )


@transaction.atomic
def award_reinstate(*, award: Award, actor: User, reason: str, expected_status: str | None = None) -> Award:
    """Lift a suspension (reason required)."""
    return _change_status(award, actor, Award.Status.ACTIVE, reason, {Award.Status.SUSPENDED}, expected_status)


@transaction.atomic
def award_revoke(*, award: Award, actor: User, reason: str, expected_status: str | None = None) -> Award:
    """Revoke the title for good (reason required).

    Its proposed and approved payouts are cancelled (each logged and told); payouts
    already paid stay in the log.
    """
    return _change_status(
        award,
        actor,
        Award.Status.REVOKED,
        reason,
        {Award.Status.ACTIVE, Award.Status.SUSPENDED},
        expected_status,
        cancel_reason=_("Award revoked: %(reason)s"),
    )


def checks_to_schedule_q() -> Q:
    return Q(state=State.INSPECTION_REQUESTED) & ~Q(acceptance_checks__outcome=AcceptanceCheck.Outcome.SCHEDULED)
