"""Pages for residents, no sign-in: street → neighbourhood → compound → corridor, the
all-corridors gallery, activities with their calendars, and the corridor poster.

Everything here is public by design and read through the ``public_*`` helpers of
``corridors.selectors`` (published works of active groups only). Each page makes the same
number of queries whatever the number of works (lists are paginated or capped and
pictures prefetched), decodes no image (sizes were stored at upload). Anonymous visitors
get each page from the shared page cache (``common.pagecache``; what retires which page:
``corridors.pagecache``), with an ETag; browsers and shared caches may keep it for
``PUBLIC_PAGE_MAX_AGE``, except the pages that show gallery works, which are revalidated
on every view so that publishing or hiding a work takes effect on the next one.
"""

import datetime

import segno
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from common.hooks import call_hooks_flat
from common.listing import keyset_page
from common.models import PictureState
from common.pagecache import public_page
from common.publictext import mask_personal
from common.search import AnyOf, search_filter, text_condition
from corridors.forms.public import GalleryFilterForm
from corridors.models import (
    ActivitySignup,
    Application,
    BuildingGroup,
    Compound,
    ConventionVersion,
    GroupPhoto,
    Neighbourhood,
    Role,
    RoleAssignment,
    Street,
    Theme,
    WorkImage,
)
from corridors.pagecache import (
    activity_page,
    compound_page,
    gallery_page,
    group_page,
    neighbourhood_page,
    places_page,
    street_page,
    work_page,
)
from corridors.poster_address import poster_address_problem
from corridors.selectors import (
    approved_applications,
    get_public_activity,
    get_public_group,
    get_public_work,
    group_private_names,
    groups_for_user,
    public_activities,
    public_groups,
    public_works,
)
from corridors.services.signups import places_summary

# Pages showing gallery works: a cache keeps them but asks the server every time (a
# hidden work must not linger); the others for PUBLIC_PAGE_MAX_AGE.
WORKS_MAX_AGE = 0
WORKS_PER_PAGE = 24
ACTIVITIES_SHOWN = 20
CORRIDORS_SHOWN = 60
CALENDAR_PAST_DAYS = 90
CALENDAR_MAX_EVENTS = 500


def _theme_name():
    """The theme of a group's latest approved application, for annotating groups."""
    return Subquery(approved_applications().filter(group=OuterRef("pk")).values("theme__name")[:1])


# A picture is shown once the worker has made its sizes (``corridors.images``); a work whose
# pictures are all still processing shows as a work without a picture.
READY = Q(picture_state=PictureState.READY)


def _with_images(works):
    return works.prefetch_related(Prefetch("images", queryset=WorkImage.objects.filter(READY).order_by("order", "pk")))


def _upcoming_and_past(activities, limit=ACTIVITIES_SHOWN):
    now = timezone.now()
    upcoming = list(activities.filter(ends_at__gte=now).order_by("starts_at", "pk")[:limit])
    past = list(activities.filter(ends_at__lt=now).order_by("-starts_at", "-pk")[:limit])
    return upcoming, past


def public_corridor_sections(group) -> list[tuple[str, dict]]:
    """Sections other apps add to the public corridor page, as ``(template name, context)`` pairs.

    An app contributes by defining ``public_corridor_sections(group)`` on its AppConfig
    (funds: the award badge, the culture fund and its ledger); corridors never imports
    funds or consultations (dependencies point one way).
    """
    return call_hooks_flat("public_corridor_sections", group)


# --- Places --------------------------------------------------------------------------


@public_page(depends=places_page)
def home(request):
    streets = Street.objects.select_related("district").prefetch_related(
        Prefetch("neighbourhoods", queryset=Neighbourhood.objects.order_by("name"))
    )
    return render(request, "public/home.html", {"streets": streets})


@public_page(depends=neighbourhood_page)
def neighbourhood(request, pk):
    place = get_object_or_404(Neighbourhood.objects.select_related("street"), pk=pk)
    groups = (
        public_groups()
        .filter(building__compound__neighbourhood=place)
        .order_by("building__compound__name", "building__compound_id", "building__name", "name")
    )
    return render(request, "public/neighbourhood.html", {"neighbourhood": place, "groups": groups})


@public_page(depends=compound_page)
def compound(request, pk):
    place = get_object_or_404(Compound.objects.select_related("neighbourhood__street"), pk=pk)
    groups = public_groups().filter(building__compound=place).annotate(theme_name=_theme_name())
    upcoming, past = _upcoming_and_past(public_activities().filter(group__building__compound=place))
    context = {"compound": place, "groups": groups, "upcoming": upcoming, "past": past}
    return render(request, "public/compound.html", context)


def _absolute(url: str) -> str:
    """A full address for share previews (og:image, og:url): the site's own, never the Host header."""
    if not url or "://" in url:
        return url
    return settings.SITE_URL.rstrip("/") + url


def _share_preview(*, title: str, description: str, path: str, image=None) -> dict:
    return {
        "title": title,
        "description": " ".join(description.split())[:120],
        "url": _absolute(path),
        "image": _absolute(image.image_large.url) if image is not None else "",
        "image_alt": image.alt_text if image is not None else "",
    }


def _with_places(activities):
    """Upcoming activities with their counts of confirmed and waiting sign-ups (one query)."""
    confirmed = Count("signups", filter=Q(signups__status=ActivitySignup.Status.CONFIRMED))
    waiting = Count("signups", filter=Q(signups__status=ActivitySignup.Status.WAITING))
    return activities.annotate(confirmed_count=confirmed, waiting_count=waiting)


@public_page(depends=group_page, max_age=WORKS_MAX_AGE)
def corridor(request, pk):
    leaders = RoleAssignment.objects.filter(role=Role.LEADER, building_group=OuterRef("pk"), user__is_active=True)
    group = get_object_or_404(public_groups().annotate(has_leader=Exists(leaders)), pk=pk)
    latest_convention = ConventionVersion.objects.filter(application=OuterRef("pk")).order_by("-number")
    application = (
        approved_applications()
        .filter(group=group)
        .annotate(convention_text=Subquery(latest_convention.values("text")[:1]))
        .first()
    )
    works = Paginator(_with_images(public_works().filter(group=group)), WORKS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    upcoming, past = _upcoming_and_past(_with_places(public_activities().filter(group=group)), limit=5)
    # The corridor's story before and after: the leader's progress photos (oldest first)
    # while it was being made, then the photos of the finished corridor.
    progress = list(application.progress_photos.filter(READY)[:24]) if application else []
    photos = list(GroupPhoto.objects.filter(READY, building_group=group)[:24])
    story = ""
    if application:
        story = mask_personal(application.plan, names=group_private_names(group))
    cover = photos[0] if photos else (progress[-1] if progress else None)
    neighbourhood = group.building.compound.neighbourhood
    context = {
        "group": group,
        "application": application,
        "story": story,
        "page_obj": works,
        "progress": progress,
        "photos": photos,
        "upcoming": upcoming,
        "past": past,
        "committee": neighbourhood,
        "has_leader": group.has_leader,
        "share": _share_preview(
            title=f"{group} · {application.title}" if application else str(group),
            description=story
            or str(_("A warm corridor of %(committee)s.") % {"committee": neighbourhood.committee_name}),
            path=group.get_public_url(),
            image=cover,
        ),
        "app_sections": public_corridor_sections(group),
        # Signed-in pages are never cached, so this link reaches only those who may use it.
        "can_manage": request.user.is_authenticated and groups_for_user(request.user).filter(pk=group.pk).exists(),
    }
    return render(request, "public/corridor.html", context)


# --- Gallery -------------------------------------------------------------------------


@public_page(depends=gallery_page, max_age=WORKS_MAX_AGE)
def gallery(request):
    themes = sorted(set(Theme.objects.filter(is_active=True).values_list("name", flat=True)))
    form = GalleryFilterForm(request.GET, themes=themes)
    query, theme = form.filters()
    works = public_works().annotate(theme_name=Subquery(
        approved_applications().filter(group=OuterRef("group")).values("theme__name")[:1]
    ))  # fmt: skip
    groups = public_groups().annotate(theme_name=_theme_name())
    if theme:
        works = works.filter(theme_name=theme)
        groups = groups.filter(theme_name=theme)
    if query:
        # The small tables first (places by name, applications by their indexed title), then
        # the works by group or by their own indexed title and text (common.search).
        # Keys matched as ``= ANY(ARRAY(…))`` (common.search.AnyOf): index lookups, not scans.
        titled = Q(
            AnyOf(
                F("pk"),
                approved_applications().filter(text_condition(Application, query)).order_by().values("group_id"),
            )
        )
        groups = search_filter(groups, query, extra=titled)
        matching_groups = search_filter(BuildingGroup.objects.all(), query, extra=titled)
        works = search_filter(works, query, extra=Q(AnyOf(F("group_id"), matching_groups.order_by().values("pk"))))
    # Keyset pages (common.listing): page 4,000 costs what page 1 does, through the
    # (state, published_at) index.
    page = keyset_page(_with_images(works), request, "-published_at", WORKS_PER_PAGE)
    if not (query or theme):
        # Unfiltered, the first corridors by name lie in the first compounds by name: sorting
        # those few instead of a district's 20,000 groups (a sort over four joined tables).
        first_compounds = Compound.objects.order_by("name", "pk").values("pk")[:CORRIDORS_SHOWN]
        groups = groups.filter(building__compound__in=Subquery(first_compounds))
    context = {
        "page_obj": page,
        "corridors": groups.order_by("building__compound__name", "building__name", "name")[:CORRIDORS_SHOWN],
        "form": form,
    }
    return render(request, "public/gallery.html", context)


@public_page(depends=work_page, max_age=WORKS_MAX_AGE)
def work(request, pk):
    item = get_public_work(pk)
    images = item.images.filter(READY).order_by("order", "pk")
    return render(request, "public/work.html", {"work": item, "group": item.group, "images": images})


# --- Activities ----------------------------------------------------------------------


def _street_activities(street):
    """A street's public activities, matched by group key (the street's groups, hashed once)
    instead of joining each activity read in date order to its building, compound and
    neighbourhood to test the street."""
    groups = BuildingGroup.objects.filter(building__compound__neighbourhood__street=street).order_by().values("pk")
    return public_activities().filter(group__in=groups)


def _activities_page(request, *, title, activities, calendar_url=None, back=None):
    upcoming, past = _upcoming_and_past(activities, limit=50)
    context = {"title": title, "upcoming": upcoming, "past": past, "calendar_url": calendar_url, "back": back}
    return render(request, "public/activities.html", context)


@public_page(depends=group_page)
def corridor_activities(request, pk):
    group = get_public_group(pk)
    return _activities_page(
        request,
        title=str(group),
        activities=public_activities().filter(group=group),
        calendar_url=reverse("public:corridor_calendar", args=[group.pk]),
        back=group.get_public_url(),
    )


@public_page(depends=compound_page)
def compound_activities(request, pk):
    place = get_object_or_404(Compound.objects.select_related("neighbourhood"), pk=pk)
    return _activities_page(
        request,
        title=place.name,
        activities=public_activities().filter(group__building__compound=place),
        back=reverse("public:compound", args=[place.pk]),
    )


@public_page(depends=street_page)
def street_activities(request, pk):
    street = get_object_or_404(Street, pk=pk)
    return _activities_page(
        request,
        title=street.name,
        activities=_street_activities(street),
        calendar_url=reverse("public:street_calendar", args=[street.pk]),
        back=reverse("public:home"),
    )


@public_page(depends=activity_page)
def activity(request, pk):
    item = get_public_activity(pk)
    photos = list(item.photos.filter(READY))
    context = {
        "activity": item,
        "group": item.group,
        "photos": photos,
        "places": places_summary(item),
        "signup_open": item.starts_at > timezone.now(),
        "share": _share_preview(
            title=f"{item.title} · {item.group}",
            description=f"{timezone.localtime(item.starts_at):%Y-%m-%d %H:%M} · {item.place}. {item.description}",
            path=item.get_public_url(),
            image=photos[0] if photos else None,
        ),
    }
    return render(request, "public/activity.html", context)


def _calendar(request, *, name: str, activities) -> HttpResponse:
    """An iCalendar feed (RFC 5545) of recent and coming activities."""
    since = timezone.now() - datetime.timedelta(days=CALENDAR_PAST_DAYS)
    cal = Calendar()
    cal.add("prodid", "-//Corridor micro-autonomy//Warm corridors//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Shanghai")
    host = request.get_host().split(":")[0]
    # At most CALENDAR_MAX_EVENTS: when there are more, the oldest are left out, never the
    # coming ones (the newest first from the database, then in date order for the feed).
    shown = activities.filter(ends_at__gte=since).order_by("-starts_at", "-pk")[:CALENDAR_MAX_EVENTS]
    for item in reversed(list(shown)):
        event = Event()
        event.add("uid", f"activity-{item.pk}@{host}")
        event.add("dtstamp", item.updated_at)
        event.add("dtstart", item.starts_at)
        event.add("dtend", item.ends_at)
        event.add("summary", item.title)
        event.add("location", f"{item.place} · {item.group}")
        if item.description:
            event.add("description", item.description)
        event.add("url", request.build_absolute_uri(item.get_public_url()))
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="activities.ics"'
    return response


@public_page(depends=group_page)
def corridor_calendar(request, pk):
    group = get_public_group(pk)
    return _calendar(request, name=str(group), activities=public_activities().filter(group=group))


@public_page(depends=street_page)
def street_calendar(request, pk):
    street = get_object_or_404(Street, pk=pk)
    activities = _street_activities(street)
    return _calendar(request, name=street.name, activities=activities)


# --- Poster --------------------------------------------------------------------------


@public_page(depends=group_page)
def poster(request, pk):
    group = get_public_group(pk)
    application = approved_applications().filter(group=group).first()
    # The site's own address, not the request's Host header: a poster printed from a
    # page reached through a proxy, an IP address or a forged host must still lead home.
    url = f"{settings.SITE_URL}{group.get_public_url()}"
    problem = poster_address_problem()
    if problem:
        # No code to print: staff are told what to set, residents whom to ask.
        context = {"group": group, "problem": problem, "staff": request.user.is_authenticated}
        return render(request, "public/poster_refused.html", context, status=503)
    # An SVG data URI: no file, no image decoding, allowed by the CSP (img-src data:).
    qr = segno.make(url, error="m").svg_data_uri(scale=8, border=2, dark="#000", light="#fff")
    context = {"group": group, "application": application, "url": url, "qr": qr}
    return render(request, "public/poster.html", context)
