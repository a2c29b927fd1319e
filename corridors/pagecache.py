"""What each public page of corridors shows, in page-cache generations, and what retires them.

The public pages (``corridors.views.public``) are cached for anonymous visitors by
``common.pagecache.public_page``; each names the generations it depends on from its URL
alone (no query on a cache hit):

- ``("places", 0)``: the place tree (streets, neighbourhoods, compounds, buildings, groups,
  themes): every public page shows some of it, so every page depends on it;
- ``("group", pk)``: one corridor (its page, poster, activities and calendar);
- ``("compound", pk)``, ``("neighbourhood", pk)``, ``("street", pk)``: the pages that gather
  the corridors of a place;
- ``("gallery", 0)``: the all-corridors gallery;
- ``("work", pk)``, ``("activity", pk)``: one work's or one activity's page.

Whatever changes what a corridor shows (a work, an activity, a photo, an application, an
award, the ledger, a culture fund: other apps call ``bump_groups``) retires the corridor
and every place page above it, and the gallery. Bumps are tied to the saving and deleting
of the rows themselves (``connect``, from the app's ``ready``), in the transaction of the
service that writes them, and take effect when it commits: a new save path cannot forget
one.
"""

from collections.abc import Iterable

from django.db.models.signals import post_delete, post_save

from common.pagecache import bump

PLACES = ("places", 0)
GALLERY = ("gallery", 0)


# --- What pages depend on (from the URL only) --------------------------------------------


def places_page(request, *args, **kwargs):
    return [PLACES]


def gallery_page(request):
    return [PLACES, GALLERY]


def _by(kind: str):
    def depends(request, pk):
        return [PLACES, (kind, pk)]

    depends.__name__ = f"{kind}_page"
    return depends


group_page = _by("group")
compound_page = _by("compound")
neighbourhood_page = _by("neighbourhood")
street_page = _by("street")
work_page = _by("work")
activity_page = _by("activity")


# --- What retires them ------------------------------------------------------------------


def bump_places() -> None:
    bump(*PLACES)


def bump_groups(group_ids: Iterable[int]) -> None:
    """Retire the pages of these corridors, of the places above them and the gallery."""
    from corridors.models import BuildingGroup

    group_ids = {pk for pk in group_ids if pk is not None}
    if not group_ids:
        return
    rows = BuildingGroup.objects.filter(pk__in=group_ids).values_list(
        "building__compound_id", "building__compound__neighbourhood_id", "building__compound__neighbourhood__street_id"
    )
    compounds, neighbourhoods, streets = (set(column) for column in zip(*rows, strict=True)) if rows else ((), (), ())
    bump("group", *group_ids)
    bump("compound", *compounds)
    bump("neighbourhood", *neighbourhoods)
    bump("street", *streets)
    bump(*GALLERY)


def bump_building_groups(building_ids: Iterable[int]) -> None:
    """Retire the pages of every corridor in these buildings (a culture fund is a building's)."""
    from corridors.models import BuildingGroup

    bump_groups(BuildingGroup.objects.filter(building_id__in=set(building_ids)).values_list("pk", flat=True))


def on_change(model, groups_of) -> None:
    """Retire the pages of ``groups_of(instance)`` (group ids) whenever ``model`` is saved or deleted."""

    def receiver(sender, instance, **kwargs):
        bump_groups(groups_of(instance))

    # Strong references: the receivers are made here and must live as long as the process.
    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"pagecache-{model._meta.label}")
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"pagecache-del-{model._meta.label}")


def on_change_bump(model, bumps) -> None:
    """Call ``bumps(instance)`` whenever ``model`` is saved or deleted."""

    def receiver(sender, instance, **kwargs):
        bumps(instance)

    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"pagecache-{model._meta.label}")
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"pagecache-del-{model._meta.label}")


def _work_changed(work) -> None:
    bump("work", work.pk)
    bump_groups([work.group_id])


def _activity_changed(activity) -> None:
    bump("activity", activity.pk)
    bump_groups([activity.group_id])


def _group_of_work(work_id) -> list[int]:
    from corridors.models import GalleryWork

    return list(GalleryWork.objects.filter(pk=work_id).values_list("group_id", flat=True))


def _group_of_activity(activity_id) -> list[int]:
    from corridors.models import Activity

    return list(Activity.objects.filter(pk=activity_id).values_list("group_id", flat=True))


def _group_of_application(application_id) -> list[int]:
    from corridors.models import Application

    return list(Application.objects.filter(pk=application_id).values_list("group_id", flat=True))


def connect() -> None:
    """Tie corridors' public rows to the pages that show them (called from ``CorridorsConfig.ready``)."""
    from corridors import models as m

    for model in (m.Street, m.Neighbourhood, m.Compound, m.Building, m.BuildingGroup, m.Theme):
        on_change_bump(model, lambda instance: bump_places())
    on_change_bump(m.GalleryWork, _work_changed)
    on_change_bump(m.WorkImage, lambda image: (bump("work", image.work_id), bump_groups(_group_of_work(image.work_id))))
    on_change_bump(m.Activity, _activity_changed)
    on_change_bump(
        m.ActivityPhoto,
        lambda photo: (bump("activity", photo.activity_id), bump_groups(_group_of_activity(photo.activity_id))),
    )
    on_change(m.GroupPhoto, lambda photo: [photo.building_group_id])
    on_change(m.Application, lambda application: [application.group_id])
    # The corridor page shows its progress photos once the worker has made their sizes.
    from corridors.models.applications import ProgressPhoto

    on_change(ProgressPhoto, lambda photo: _group_of_application(photo.application_id))
    on_change(m.ConventionVersion, lambda version: _group_of_application(version.application_id))
