"""Gallery works and activities of a corridor: one function per action.

Pictures arrive checked (cheaply, in the request) by ``common.uploads`` through
``SafeImageField``; these services store them through ``corridors.images.picture_store``
(the worker makes their display sizes) and never leave a file without a row. A work is
public only while ``published``; its steps (publish, unpublish, hide, unhide) are the
table in ``corridors.workflows.work``, each checked under the work's row lock and written
to its history. Staff hiding a work takes effect on the next page view because public
pages query the state every time, and its picture files leave the public media folder
(their URLs answer 404) until it is shown again.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from common.dates import require_sane_dates
from common.publictext import require_public_text
from common.refusals import Refused
from common.uploads import (
    ProcessedImage,
    UploadedImage,
    delete_files_on_commit,
    delete_public_or_private_files_on_commit,
    move_to_private,
    move_to_public,
)
from corridors.images import picture_store
from corridors.models import Activity, ActivityPhoto, BuildingGroup, GalleryWork, User, WorkImage, WorkTransition
from corridors.notifications import work_step_told
from corridors.selectors import group_place_names, group_private_names, work_roles
from corridors.workflows.work import WORK, State


def _words(
    *, kind: str, title: str, text: str, ingredients: str, steps: str, author_name: str, author_consent: bool
) -> dict:
    """A work's words as stored: trimmed, recipe fields only on a recipe, and the author's
    name only with their consent (otherwise it is not even stored: collect the minimum)."""
    recipe = kind == GalleryWork.Kind.RECIPE
    return {
        "kind": kind,
        "title": title.strip(),
        "text": text.strip(),
        "ingredients": ingredients.strip() if recipe else "",
        "steps": steps.strip() if recipe else "",
        "author_name": author_name.strip() if author_consent else "",
        "author_consent": author_consent,
    }


def _check_public(group: BuildingGroup, fields: dict[str, str], *also_private: str, shown: str = "") -> None:
    """Refuse words a public page would show if they carry a phone, an ID or room number, or the
    name of the group's leader or writer (``common.publictext``); ``shown`` is a name the page
    shows anyway (a work's author who agreed to be named)."""
    names = [name for name in group_private_names(group, *also_private) if name != shown]
    require_public_text(fields, names=names, allowed=[*group_place_names(group), shown])


def _check_work_words(group: BuildingGroup, words: dict, by: User | None, author_name: str) -> None:
    # A work's author who did not agree to be named must not be named in its words either.
    unnamed_author = author_name.strip() if not words["author_consent"] else ""
    writer = by.full_name if by is not None else ""
    fields = {name: words[name] for name in ("title", "text", "ingredients", "steps")}
    _check_public(group, fields, unnamed_author, writer, shown=words["author_name"])


def _store_image(row, image: UploadedImage | ProcessedImage, *, private: bool = False):
    """Save ``row`` with ``image`` (``picture_store``); sizes made here go to private storage when
    ``private`` (a work not published: its pictures get no public address until it is)."""
    return picture_store(row, image, private=private)


def _locked(work: GalleryWork) -> GalleryWork:
    # Race: a leader publishing while staff hide the same work; the row lock orders them.
    return (
        GalleryWork.objects.select_for_update(of=("self",))
        .select_related("group__building__compound__neighbourhood")
        .get(pk=work.pk)
    )


def _check_active(group: BuildingGroup) -> None:
    if not group.is_active:
        raise ValidationError(_("This building group is no longer active; nothing new can be added to it."))


def _files_follow_state_on_commit(work: GalleryWork) -> None:
    """Once the transaction commits, put the work's picture files where its state says.

    Only a published work's files are in public storage. A draft's, a hidden work's and
    one taken back to draft are kept in private storage (same names, no URL), so a saved
    link or a cached page cannot fetch them; their leader and staff see them through
    ``work_image_file``. Files cross over through the storage API (copy, then delete the
    other side), on disk and on object storage alike.
    """

    def sync():
        # Race: staff hiding and showing the same work in quick succession. Each commit
        # schedules this; under the row lock it reads the state that finally committed,
        # so the files never end up on the wrong side.
        with transaction.atomic():
            current = GalleryWork.objects.select_for_update().filter(pk=work.pk).first()
            if current is None:
                return
            files = [f for image in current.images.all() for f in image.stored_files()]
            if current.state == State.PUBLISHED:
                move_to_public(*files)
            else:
                move_to_private(*files)

    transaction.on_commit(sync)


@transaction.atomic
def work_create(
    *,
    group: BuildingGroup,
    kind: str,
    title: str,
    text: str = "",
    ingredients: str = "",
    steps: str = "",
    author_name: str = "",
    author_consent: bool = False,
    image: UploadedImage | ProcessedImage,
    alt_text: str,
    by: User,
) -> GalleryWork:
    """Create a draft work with its first picture (a work always has at least one), in an active group."""
    _check_active(group)
    words = _words(
        kind=kind, title=title, text=text, ingredients=ingredients, steps=steps,
        author_name=author_name, author_consent=author_consent,
    )  # fmt: skip
    _check_work_words(group, words, by, author_name)
    _check_public(group, {"alt_text": alt_text})
    work = GalleryWork(group=group, created_by=by, **words)
    work.full_clean()
    work.save()
    _store_image(WorkImage(work=work, alt_text=alt_text.strip(), uploaded_by=by, order=0), image, private=True)
    return work


@transaction.atomic
def work_update(
    *,
    work: GalleryWork,
    kind: str,
    title: str,
    text: str = "",
    ingredients: str = "",
    steps: str = "",
    author_name: str = "",
    author_consent: bool = False,
) -> GalleryWork:
    """Change the words of a work; a published work shows the change on the next view."""
    work = _locked(work)
    words = _words(
        kind=kind, title=title, text=text, ingredients=ingredients, steps=steps,
        author_name=author_name, author_consent=author_consent,
    )  # fmt: skip
    _check_work_words(work.group, words, work.created_by, author_name)
    for field, value in words.items():
        setattr(work, field, value)
    work.full_clean()
    work.save(update_fields=[*words, "updated_at"])
    return work


@transaction.atomic
def work_image_add(*, work: GalleryWork, image: UploadedImage | ProcessedImage, alt_text: str, by: User) -> WorkImage:
    """Add a picture after the others (private unless the work is published)."""
    work = _locked(work)
    _check_public(work.group, {"alt_text": alt_text})
    last = work.images.aggregate(last=Max("order"))["last"]
    row = _store_image(
        WorkImage(work=work, alt_text=alt_text.strip(), uploaded_by=by, order=0 if last is None else last + 1),
        image,
        private=work.state != State.PUBLISHED,
    )
    # Race: the work published or hidden by someone else meanwhile: its state decides.
    _files_follow_state_on_commit(work)
    return row


@transaction.atomic
def work_image_delete(*, image: WorkImage) -> None:
    """Delete a picture, but never the last one of a work; files go once the delete commits."""
    work = _locked(image.work)
    if work.images.count() <= 1:
        raise ValidationError(_("A work needs at least one picture. Add another before deleting this one."))
    files = image.all_files()
    image.delete()
    delete_public_or_private_files_on_commit(*files)


def _step(work: GalleryWork, by: User, name: str, *, note: str = "", expected_state: str | None = None, **changes):
    """Take step ``name`` of the work table on the locked work, write its history row and tell who the table names.

    ``changes`` are the other fields the step sets (the hiding reason, the publication date).
    """
    locked = _locked(work)
    if name == "unhide" and locked.state == State.HIDDEN and not locked.published_at:
        name = "unhide_to_draft"
    transition = WORK.check(name, locked, roles=work_roles(by, locked), expected_state=expected_state, reason=note)
    from_state = locked.state
    locked.state = transition.target
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.save(update_fields=["state", *changes, "updated_at"])
    WorkTransition.objects.create(
        work=locked, actor=by, action=transition.name, from_state=from_state, to_state=transition.target, note=note
    )
    work_step_told(locked, actor=by, transition=transition, note=note)
    if State.PUBLISHED in (from_state, transition.target):
        _files_follow_state_on_commit(locked)
    return locked


@transaction.atomic
def work_publish(*, work: GalleryWork, by: User, expected_state: str | None = None) -> GalleryWork:
    """Show a draft work on the public pages (the leader, or street staff for a group without one).

    A work hidden by staff stays hidden: only they show it again. Words saved before the
    server checked public text are checked again here.
    """
    locked = _locked(work)
    words = {name: getattr(locked, name) for name in ("kind", "title", "text", "ingredients", "steps")}
    words |= {"author_name": locked.author_name, "author_consent": locked.author_consent}
    try:
        _check_work_words(locked.group, words, locked.created_by, "")
    except ValidationError as error:
        raise Refused(error.messages[0]) from error
    return _step(work, by, "publish", expected_state=expected_state, published_at=timezone.now())


@transaction.atomic
def work_unpublish(*, work: GalleryWork, by: User, expected_state: str | None = None) -> GalleryWork:
    """The leader takes a published work back to draft (off the public pages)."""
    return _step(work, by, "unpublish", expected_state=expected_state)


@transaction.atomic
def work_hide(*, work: GalleryWork, reason: str, by: User, expected_state: str | None = None) -> GalleryWork:
    """Staff or the committee take a work off the public pages at once, saying why.

    The group's leader is told the reason (inbox and e-mail) and sees it on the work; the
    history keeps who hid it and why. Once this commits, its picture files move to private
    storage: their public URLs stop answering, whoever kept a link.
    """
    reason = reason.strip()
    return _step(
        work,
        by,
        "hide",
        note=reason,
        expected_state=expected_state,
        hidden_reason=reason,
        hidden_by=by,
        hidden_at=timezone.now(),
    )


@transaction.atomic
def work_unhide(*, work: GalleryWork, by: User, expected_state: str | None = None) -> GalleryWork:
    """Staff or the committee show a hidden work again: published if it had been, otherwise back to
    draft; its picture files return to the public media folder once this commits."""
    return _step(work, by, "unhide", expected_state=expected_state, hidden_reason="", hidden_by=None, hidden_at=None)


@transaction.atomic
def work_delete(*, work: GalleryWork) -> None:
    """Delete a work and, once that commits, its picture files."""
    work = _locked(work)
    files = [f for image in work.images.all() for f in image.all_files()]
    work.delete()
    delete_public_or_private_files_on_commit(*files)


# --- Activities ---------------------------------------------------------------------


def _check_times(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    require_sane_dates(starts_at=starts_at, ends_at=ends_at)
    if ends_at < starts_at:
        raise ValidationError({"ends_at": _("The activity cannot end before it starts.")})


@transaction.atomic
def activity_create(
    *,
    group: BuildingGroup,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    description: str = "",
    capacity: int | None = None,
    by: User,
) -> Activity:
    """Announce an activity of an active group; it is public (corridor, compound and street
    lists, calendars) at once."""
    _check_active(group)
    _check_times(starts_at, ends_at)
    _check_public(group, {"title": title, "place": place, "description": description}, by.full_name)
    activity = Activity(
        group=group,
        kind=kind,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        description=description.strip(),
        capacity=capacity,
        created_by=by,
    )
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    description: str = "",
    capacity: int | None = None,
) -> Activity:
    _check_times(starts_at, ends_at)
    activity = Activity.objects.select_for_update().select_related("group__building", "created_by").get(pk=activity.pk)
    _check_public(
        activity.group, {"title": title, "place": place, "description": description}, activity.created_by.full_name
    )
    activity.kind = kind
    activity.title = title.strip()
    activity.starts_at = starts_at
    activity.ends_at = ends_at
    activity.place = place.strip()
    activity.description = description.strip()
    activity.capacity = capacity
    activity.full_clean()
    activity.save(
        update_fields=["kind", "title", "starts_at", "ends_at", "place", "description", "capacity", "updated_at"]
    )
    return activity


@transaction.atomic
def activity_record_attendance(*, activity: Activity, attendance: int | None) -> Activity:
    """Record how many people came (a count only: no names are kept), once the activity has started."""
    if attendance is not None and attendance < 0:
        raise ValidationError({"attendance": _("The number of people cannot be negative.")})
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if attendance is not None and activity.starts_at > timezone.now():
        raise ValidationError({"attendance": _("The activity has not started yet; record who came once it has begun.")})
    activity.attendance = attendance
    activity.save(update_fields=["attendance", "updated_at"])
    return activity


@transaction.atomic
def activity_photo_add(
    *, activity: Activity, image: UploadedImage | ProcessedImage, alt_text: str, by: User
) -> ActivityPhoto:
    """Add a photo taken at the activity (shown on its public page)."""
    _check_public(activity.group, {"alt_text": alt_text})
    return _store_image(ActivityPhoto(activity=activity, alt_text=alt_text.strip(), uploaded_by=by), image)


@transaction.atomic
def activity_photo_delete(*, photo: ActivityPhoto) -> None:
    files = photo.all_files()
    photo.delete()
    delete_files_on_commit(*files)


@transaction.atomic
def activity_delete(*, activity: Activity) -> None:
    """Cancel an activity: it leaves every list and calendar; its photo files go once that commits."""
    files = [f for photo in activity.photos.all() for f in photo.all_files()]
    activity.delete()
    delete_files_on_commit(*files)
