"""Warm-corridor applications: every write, one function per action (DESIGN.md §1).

Each workflow step locks the application row, re-checks its state and the actor's role
against the table in ``corridors.workflows.application`` (``APPLICATION.check``), writes one
``ApplicationTransition`` and tells the people the table names (``corridors.notifications``:
inbox + e-mail after commit). A forbidden or stale step raises ``common.refusals.Refused`` with the reason and
changes nothing.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from common import streetlists
from common.money import yuan
from common.publictext import require_public_text
from common.refusals import Refused, stale
from common.uploads import ProcessedImage, UploadedImage, delete_public_or_private_files_on_commit
from common.workflows import Transition
from corridors.images import picture_store
from corridors.models import (
    Application,
    ApplicationTransition,
    BudgetItem,
    BuildingGroup,
    ConventionVersion,
    ProgrammeYear,
    Role,
    SketchImage,
    Street,
    Theme,
    User,
)
from corridors.models.applications import BUDGET_CAP, PROGRESS_PHOTO_STATES, ProgressPhoto
from corridors.notifications import application_step_told
from corridors.pagecache import bump_places
from corridors.selectors import application_roles, group_place_names, group_private_names, scope_of
from corridors.workflows.application import APPLICATION, CLOSED_STATES, EDITABLE_STATES, State

DEFAULT_THEMES = [
    "文化艺术长廊",
    "摄影",
    "书法与太极",
    "烹饪与食谱",
    "绿植与百草园",
    "邻里互助与助老",
    "亲子",
    "其他",
]


# The names this module's refusals had before ``common.refusals.Refused`` (funds still
# imports them until it catches ``Refused`` itself): the same class, not a copy.


# --- Programme set-up --------------------------------------------------------------------


def themes_ensure_defaults(*, street: Street) -> None:
    """Give a street the default theme list once; the street edits it afterwards."""
    streetlists.entries_ensure_defaults(Theme, street_id=street.pk, names=DEFAULT_THEMES)
    bump_places()  # bulk_create sends no signal: the gallery offers the themes


# --- Writing the application (draft / returned only) ---------------------------------


def _lock(application: Application) -> Application:
    # Two people acting at once: the second waits here and then sees the first one's result.
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("group__building__compound__neighbourhood", "programme_year")
        .get(pk=application.pk)
    )


def _lock_for_editing(application: Application, actor: User, expected_state: str | None = None) -> Application:
    locked = _lock(application)
    if Role.LEADER not in application_roles(actor, locked):
        raise Refused(_("Only the leader of this building group may change its application."))
    if expected_state is not None and locked.state != expected_state:
        raise stale(locked)
    if locked.state not in EDITABLE_STATES:
        raise Refused(
            _("The application is “%(state)s” and can no longer be changed.") % {"state": locked.get_state_display()}
        )
    return locked


def _check_households(agreed: int, total: int) -> None:
    if agreed > total:
        raise ValidationError({"households_agreed": _("The group has only %(total)s households.") % {"total": total}})


@transaction.atomic
def application_create(
    *,
    actor: User,
    group: BuildingGroup,
    programme_year: ProgrammeYear,
    theme: Theme,
    title: str,
    plan: str,
    convention: str,
    households_agreed: int,
) -> Application:
    """Start a draft for the actor's own group; the convention becomes version 1.

    A group has at most one live (not withdrawn or rejected) application per programme year;
    the database enforces it too.
    """
    if group.pk not in scope_of(actor).led_groups:
        raise Refused(_("Only the leader of this building group may write its application."))
    street_id = group.building.compound.neighbourhood.street_id
    if programme_year.street_id != street_id or theme.street_id != street_id:
        raise Refused(_("This programme year or theme belongs to another street."))
    _check_households(households_agreed, group.households)
    _check_public_words(group, actor, title=title, convention=convention)
    live = Application.objects.filter(group=group, programme_year=programme_year).exclude(state__in=CLOSED_STATES)
    already = _("This building group already has an application for %(year)s.") % {"year": programme_year.year}
    if live.exists():
        raise Refused(already)
    application = Application(
        group=group,
        programme_year=programme_year,
        theme=theme,
        title=title,
        plan=plan,
        households_agreed=households_agreed,
        households_total=group.households,
        created_by=actor,
    )
    try:
        # Two drafts created at once: the unique constraint lets only one through.
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:
        raise Refused(already) from exc
    ConventionVersion.objects.create(
        application=application, number=1, text=normalise_convention(convention), author=actor
    )
    return application


def _check_public_words(group: BuildingGroup, actor: User, **fields: str) -> None:
    """The title and the convention are shown on the public corridor page: no phone, ID or room
    number, no leader's or writer's name (``common.publictext``)."""
    require_public_text(fields, names=group_private_names(group, actor.full_name), allowed=group_place_names(group))


def normalise_convention(text: str) -> str:
    """The convention as stored and compared: a browser posts CR LF line ends, which change nothing."""
    return text.replace("\r\n", "\n").strip()


@transaction.atomic
def application_update(
    *,
    application: Application,
    actor: User,
    theme: Theme,
    title: str,
    plan: str,
    convention: str,
    households_agreed: int,
    expected_state: str | None = None,
) -> Application:
    """Change a draft or returned application; a changed convention becomes a new version."""
    locked = _lock_for_editing(application, actor, expected_state)
    if theme.street_id != locked.programme_year.street_id:
        raise Refused(_("This programme year or theme belongs to another street."))
    total = locked.group.households
    _check_households(households_agreed, total)
    _check_public_words(locked.group, actor, title=title, convention=convention)
    locked.theme, locked.title, locked.plan = theme, title, plan
    locked.households_agreed, locked.households_total = households_agreed, total
    locked.save(update_fields=["theme", "title", "plan", "households_agreed", "households_total", "updated_at"])
    latest = locked.convention_versions.order_by("-number").first()
    text = normalise_convention(convention)
    # Versions saved before normalising may still hold \r\n: compare like with like.
    if latest is None or normalise_convention(latest.text) != text:
        number = latest.number + 1 if latest else 1
        ConventionVersion.objects.create(application=locked, number=number, text=text, author=actor)
    return locked


def budget_line_too_large(total: Decimal) -> str:
    return _(
        "A budget line can come to at most %(cap)s (quantity × unit price); this one comes to %(total)s. "
        "Please check the quantity and the unit price."
    ) % {"cap": yuan(BUDGET_CAP), "total": yuan(total)}


@transaction.atomic
def application_budget_item_add(
    *, application: Application, actor: User, item: str, quantity: Decimal, unit_price: Decimal
) -> BudgetItem:
    """Add a line to a draft or returned application's budget.

    The line (quantity × unit price) and the application's whole budget each stay within
    ``BUDGET_CAP``, checked under the application's row lock, so two lines added at once
    cannot together pass it.
    """
    locked = _lock_for_editing(application, actor)
    if quantity <= 0 or unit_price < 0:
        raise ValidationError(_("Quantity must be above zero and the unit price not below zero."))
    line_total = quantity * unit_price
    if line_total > BUDGET_CAP:
        raise ValidationError(budget_line_too_large(line_total))
    so_far = BudgetItem.objects.filter(application=locked).aggregate(s=Sum("total"))["s"] or Decimal("0.00")
    if so_far + line_total > BUDGET_CAP:
        raise ValidationError(
            _(
                "An application's budget can come to at most %(cap)s; it is %(so_far)s, and with this line "
                "(%(line)s) it would be %(total)s."
            )
            % {
                "cap": yuan(BUDGET_CAP),
                "so_far": yuan(so_far),
                "line": yuan(line_total),
                "total": yuan(so_far + line_total),
            }
        )
    budget_item = BudgetItem.objects.create(application=locked, item=item, quantity=quantity, unit_price=unit_price)
    locked.save(update_fields=["updated_at"])
    return budget_item


@transaction.atomic
def application_budget_item_remove(*, application: Application, actor: User, item_id: int) -> None:
    locked = _lock_for_editing(application, actor)
    deleted, _rows = BudgetItem.objects.filter(application=locked, pk=item_id).delete()
    if deleted:
        locked.save(update_fields=["updated_at"])


@transaction.atomic
def application_sketch_add(
    *, application: Application, actor: User, image: UploadedImage | ProcessedImage, alt_text: str
) -> SketchImage:
    locked = _lock_for_editing(application, actor)
    sketch = SketchImage(application=locked, alt_text=alt_text, uploaded_by=actor)
    # A sketch is shown to those responsible only, never publicly: its sizes are private.
    return picture_store(sketch, image, private=True)


@transaction.atomic
def application_sketch_remove(*, application: Application, actor: User, sketch_id: int) -> None:
    locked = _lock_for_editing(application, actor)
    for sketch in SketchImage.objects.filter(application=locked, pk=sketch_id):
        files = sketch.all_files()
        sketch.delete()
        delete_public_or_private_files_on_commit(*files)


# --- Progress photos (in creation, until the corridor passes) -------------------------------


@transaction.atomic
def application_progress_photo_add(
    *, application: Application, actor: User, image: UploadedImage | ProcessedImage, caption: str
) -> ProgressPhoto:
    """The group's leader posts a photo of the corridor being made.

    Only while the application is in creation, waiting for its acceptance check or being
    rectified; refused otherwise, with the reason.
    """
    locked = _lock(application)
    if Role.LEADER not in application_roles(actor, locked):
        raise Refused(_("Only the leader of this building group may post progress photos."))
    if locked.state not in PROGRESS_PHOTO_STATES:
        raise Refused(
            _("Progress photos are posted while the corridor is being made; the application is “%(state)s”.")
            % {"state": locked.get_state_display()}
        )
    caption = caption.strip()
    photo = ProgressPhoto(application=locked, caption=caption, alt_text=caption, uploaded_by=actor)
    return picture_store(photo, image, private=True)  # shown to those responsible only, never publicly


# --- Workflow steps ------------------------------------------------------------------------


def _record(application: Application, actor: User, transition: Transition, note: str) -> Application:
    from_state = application.state
    application.state = transition.target
    fields = ["state", "updated_at"]
    if transition.target == State.SUBMITTED:
        application.submitted_at = timezone.now()
        fields.append("submitted_at")
    application.save(update_fields=fields)
    ApplicationTransition.objects.create(
        application=application,
        actor=actor,
        action=transition.name,
        from_state=from_state,
        to_state=transition.target,
        note=note.strip(),
    )
    application_step_told(application, actor=actor, transition=transition, note=note.strip())
    return application


def _checked(application: Application, actor: User, name: str, note: str, expected_state: str | None):
    """The locked application and its step, once the table allows this actor to take it now."""
    locked = _lock(application)
    transition = APPLICATION.check(
        name, locked, roles=application_roles(actor, locked), expected_state=expected_state, reason=note
    )
    return locked, transition


def _step(application: Application, actor: User, name: str, note: str, expected_state: str | None) -> Application:
    locked, transition = _checked(application, actor, name, note, expected_state)
    return _record(locked, actor, transition, note)


@transaction.atomic
def application_submit(
    *, application: Application, actor: User, note: str = "", expected_state: str | None = None
) -> Application:
    """Leader sends a draft or returned application to the residents' committee.

    Refused outside the programme year's application window and below its household
    consent minimum, each with the reason.
    """
    locked, transition = _checked(application, actor, "submit", note, expected_state)
    year = locked.programme_year
    today = timezone.localdate()
    if not year.window_is_open(today):
        raise Refused(
            _("Applications for %(year)s can be submitted from %(opens)s to %(closes)s.")
            % {"year": year.year, "opens": year.window_opens.isoformat(), "closes": year.window_closes.isoformat()}
        )
    if not year.consent_is_met(locked.households_agreed, locked.households_total):
        raise Refused(
            _(
                "%(agreed)s of %(total)s households agreed; at least %(needed)s must agree "
                "(%(share)s of the group) before the application can be submitted."
            )
            % {
                "agreed": locked.households_agreed,
                "total": locked.households_total,
                "needed": year.households_needed(locked.households_total),
                "share": f"{year.consent_numerator}/{year.consent_denominator}",
            }
        )
    return _record(locked, actor, transition, note)


@transaction.atomic
def application_endorse(
    *, application: Application, actor: User, note: str = "", expected_state: str | None = None
) -> Application:
    """The neighbourhood's committee endorses a submitted application; the street reviews it next."""
    return _step(application, actor, "endorse", note, expected_state)


@transaction.atomic
def application_return_by_committee(
    *, application: Application, actor: User, note: str, expected_state: str | None = None
) -> Application:
    """The committee sends a submitted application back to the leader (reason required)."""
    return _step(application, actor, "return_by_committee", note, expected_state)


@transaction.atomic
def application_return_by_street(
    *, application: Application, actor: User, note: str, expected_state: str | None = None
) -> Application:
    """The street sends an endorsed application back to the leader (reason required)."""
    return _step(application, actor, "return_by_street", note, expected_state)


@transaction.atomic
def application_return(
    *, application: Application, actor: User, note: str, expected_state: str | None = None
) -> Application:
    """Return for revision at whichever review step the application is in (reason required)."""
    locked = _lock(application)
    name = "return_by_committee" if locked.state == State.SUBMITTED else "return_by_street"
    return _step(locked, actor, name, note, expected_state)


@transaction.atomic
def application_approve(
    *, application: Application, actor: User, note: str = "", expected_state: str | None = None
) -> Application:
    """The street approves an endorsed application for creation."""
    return _step(application, actor, "approve", note, expected_state)


@transaction.atomic
def application_reject(
    *, application: Application, actor: User, note: str, expected_state: str | None = None
) -> Application:
    """The street rejects an endorsed application (reason required); the group may apply again."""
    return _step(application, actor, "reject", note, expected_state)


@transaction.atomic
def application_withdraw(
    *, application: Application, actor: User, note: str = "", expected_state: str | None = None
) -> Application:
    """The leader withdraws the application, at any step before approval."""
    return _step(application, actor, "withdraw", note, expected_state)


@transaction.atomic
def application_start_creation(
    *, application: Application, actor: User, note: str = "", expected_state: str | None = None
) -> Application:
    """The leader starts creating the approved corridor."""
    return _step(application, actor, "start_creation", note, expected_state)


@transaction.atomic
def application_request_inspection(
    *, application: Application, actor: User, note: str = "", expected_state: str | None = None
) -> Application:
    """The leader asks the street for the acceptance check of the finished corridor."""
    return _step(application, actor, "request_inspection", note, expected_state)


# --- Acceptance-check outcomes (taken by funds' check services, never by a page button) ----


@transaction.atomic
def application_pass_inspection(
    *, application: Application, actor: User, note: str = "", expected_state: str | None = None
) -> Application:
    """The street records a passed acceptance check: the application is awarded.

    Called by the acceptance-check service in the same transaction as the scores and the
    award, so either all of them are written or none.
    """
    return _step(application, actor, "pass_inspection", note, expected_state)


@transaction.atomic
def application_fail_inspection(
    *, application: Application, actor: User, note: str, expected_state: str | None = None
) -> Application:
    """The street records a failed acceptance check: the leader rectifies (what to fix is the note)."""
    return _step(application, actor, "fail_inspection", note, expected_state)


@transaction.atomic
def application_request_reinspection(
    *, application: Application, actor: User, note: str = "", expected_state: str | None = None
) -> Application:
    """The leader reports the rectification done and asks the street to inspect again."""
    return _step(application, actor, "request_reinspection", note, expected_state)
