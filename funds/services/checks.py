"""Acceptance checks (验收): scheduling, scores and the outcome, photos, re-inspection.

The application's own workflow lives in corridors; these services move it through the
corridors service functions (``application_pass_inspection`` ...) in the same
transaction, so a check, its award and the application's state are written together or
not at all. A refused write raises ``Refused`` with the reason and changes nothing.
"""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from common.refusals import Refused, refused_by_database, violated_constraint
from common.uploads import ProcessedImage, UploadedImage
from corridors.images import picture_store
from corridors.models import Application, Role, RoleAssignment, User
from corridors.selectors import require_street_staff
from corridors.services.applications import (
    application_fail_inspection,
    application_pass_inspection,
    application_request_reinspection,
)
from corridors.workflows.application import State
from funds.models import SCORE_FIELDS, AcceptanceCheck, CheckPhoto, judge
from funds.selectors import street_id_of_application
from funds.services.awards import award_create


def inspectors_available(street_id: int):
    """Who may inspect: the street's office staff and the committee staff of its neighbourhoods."""
    return User.objects.filter(
        is_active=True,
        pk__in=RoleAssignment.objects.filter(street_id=street_id, role__in=[Role.STREET_STAFF, Role.COMMITTEE]).values(
            "user_id"
        ),
    ).order_by("full_name", "username")


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
    require_street_staff(actor, street_id)
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
    photos: Sequence[tuple[UploadedImage | ProcessedImage, str]] = (),
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
    require_street_staff(actor, street_id_of_application(application))
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
        # Check photos are shown to those responsible only: their sizes are private.
        picture_store(CheckPhoto(check_record=locked, alt_text=alt_text, uploaded_by=actor), image, private=True)
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
    return locked


@transaction.atomic
def check_photo_add(
    *, check: AcceptanceCheck, actor: User, image: UploadedImage | ProcessedImage, alt_text: str
) -> CheckPhoto:
    """Add a photo to a check (scheduled or recorded) of the actor's street."""
    locked = AcceptanceCheck.objects.select_for_update(of=("self",)).get(pk=check.pk)
    application = Application.objects.select_related("group__building__compound__neighbourhood").get(
        pk=locked.application_id
    )
    require_street_staff(actor, street_id_of_application(application))
    return picture_store(CheckPhoto(check_record=locked, alt_text=alt_text, uploaded_by=actor), image, private=True)


def reinspection_request(*, application: Application, actor: User, note: str = "", expected_state=None) -> Application:
    """The leader reports the rectification done (the corridors step)."""
    return application_request_reinspection(
        application=application, actor=actor, note=note, expected_state=expected_state
    )
