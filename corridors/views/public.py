"""Pages for residents, no sign-in: street → neighbourhood → compound → corridor, the
all-corridors gallery, activities with their calendars, and the corridor poster.

Everything here is public by design and read through the ``public_*`` helpers of
``corridors.selectors`` (published works of active groups only). Each page makes the same
number of queries whatever the number of works (lists are paginated or capped and
pictures prefetched), decodes no image (sizes were stored at upload), and may be cached
by anonymous visitors' browsers and shared caches: for a minute, except the pages that
show gallery works, which are revalidated on every view so that publishing or hiding a
work takes effect on the next one.
"""

import datetime
from functools import partial, wraps

import segno
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from icalendar import Calendar, Event

from common.hooks import call_hooks_flat
from common.listing import keyset_page
from common.search import search_filter, text_condition
from corridors.forms.public import GalleryFilterForm
from corridors.models import (
    Application,
    BuildingGroup,
    Compound,
    ConventionVersion,
    GroupPhoto,
    Neighbourhood,
    Street,
    Theme,
    WorkImage,
)
from corridors.selectors import (
    approved_applications,
    get_public_activity,
    get_public_group,
    get_public_work,
    groups_for_user,
    public_activities,
    public_groups,
    public_works,
)

PUBLIC_MAX_AGE = 60
# Pages showing gallery works: a cache keeps them but asks the server every time.
WORKS_MAX_AGE = 0
WORKS_PER_PAGE = 24
ACTIVITIES_SHOWN = 20
CORRIDORS_SHOWN = 60
CALENDAR_PAST_DAYS = 90


def public_page(view=None, *, max_age: int = PUBLIC_MAX_AGE):
    """Cache headers for a public page: ``max_age`` seconds for anonymous visitors, never for signed-in users.

    ``Vary: Cookie`` keeps a signed-in page, a language choice or the large-text setting
    from being served to someone else. With ``max_age=0`` a cache must revalidate the page
    on every view.
    """
    if view is None:
        return partial(public_page, max_age=max_age)
    freshness = {"max_age": max_age, "must_revalidate": True} if max_age == 0 else {"max_age": max_age}

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        elif response.cookies or (
            request.META.get("CSRF_COOKIE_NEEDS_UPDATE") and settings.CSRF_COOKIE_NAME not in request.COOKIES
        ):
            # A first visit gets a new CSRF cookie of its own (for the language and
            # text-size forms): a shared cache must not hand it to the next visitor. A
            # later visit only renews the cookie it sent, and Vary: Cookie keys on it.
            patch_cache_control(response, private=True, **freshness)
        else:
            patch_cache_control(response, public=True, **freshness)
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapped


def _theme_name():
    """The theme of a group's latest approved application, for annotating groups."""
    return Subquery(approved_applications().filter(group=OuterRef("pk")).values("theme__name")[:1])


def _with_images(works):
    return works.prefetch_related(Prefetch("images", queryset=WorkImage.objects.order_by("order", "pk")))


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


@public_page
def home(request):
    streets = Street.objects.prefetch_related(
        Prefetch("neighbourhoods", queryset=Neighbourhood.objects.order_by("name"))
    )
    return render(request, "public/home.html", {"streets": streets})


@public_page
def neighbourhood(request, pk):
    place = get_object_or_404(Neighbourhood.objects.select_related("street"), pk=pk)
    groups = (
        public_groups()
        .filter(building__compound__neighbourhood=place)
        .order_by("building__compound__name", "building__compound_id", "building__name", "name")
    )
    return render(request, "public/neighbourhood.html", {"neighbourhood": place, "groups": groups})


@public_page
def compound(request, pk):
    place = get_object_or_404(Compound.objects.select_related("neighbourhood__street"), pk=pk)
    groups = public_groups().filter(building__compound=place).annotate(theme_name=_theme_name())
    upcoming, past = _upcoming_and_past(public_activities().filter(group__building__compound=place))
    context = {"compound": place, "groups": groups, "upcoming": upcoming, "past": past}
    return render(request, "public/compound.html", context)


@public_page(max_age=WORKS_MAX_AGE)
def corridor(request, pk):
    group = get_public_group(pk)
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
    upcoming, past = _upcoming_and_past(public_activities().filter(group=group), limit=5)
    context = {
        "group": group,
        "application": application,
        "page_obj": works,
        "photos": GroupPhoto.objects.filter(building_group=group)[:24],
        "upcoming": upcoming,
        "past": past,
        "app_sections": public_corridor_sections(group),
        # Signed-in pages are never cached, so this link reaches only those who may use it.
        "can_manage": request.user.is_authenticated and groups_for_user(request.user).filter(pk=group.pk).exists(),
    }
    return render(request, "public/corridor.html", context)


# --- Gallery -------------------------------------------------------------------------


@public_page(max_age=WORKS_MAX_AGE)
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
        titled = Q(pk__in=approved_applications().filter(text_condition(Application, query)).values("group_id"))
        groups = search_filter(groups, query, extra=titled)
        matching_groups = search_filter(BuildingGroup.objects.all(), query, extra=titled)
        works = search_filter(works, query, extra=Q(group__in=matching_groups.values("pk")))
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


@public_page(max_age=WORKS_MAX_AGE)
def work(request, pk):
    item = get_public_work(pk)
    images = item.images.order_by("order", "pk")
    return render(request, "public/work.html", {"work": item, "group": item.group, "images": images})


# --- Activities ----------------------------------------------------------------------


def _activities_page(request, *, title, activities, calendar_url=None, back=None):
    upcoming, past = _upcoming_and_past(activities, limit=50)
    context = {"title": title, "upcoming": upcoming, "past": past, "calendar_url": calendar_url, "back": back}
    return render(request, "public/activities.html", context)


@public_page
def corridor_activities(request, pk):
    group = get_public_group(pk)
    return _activities_page(
        request,
        title=str(group),
        activities=public_activities().filter(group=group),
        calendar_url=reverse("public:corridor_calendar", args=[group.pk]),
        back=group.get_public_url(),
    )


@public_page
def compound_activities(request, pk):
    place = get_object_or_404(Compound.objects.select_related("neighbourhood"), pk=pk)
    return _activities_page(
        request,
        title=place.name,
        activities=public_activities().filter(group__building__compound=place),
        back=reverse("public:compound", args=[place.pk]),
    )


@public_page
def street_activities(request, pk):
    street = get_object_or_404(Street, pk=pk)
    return _activities_page(
        request,
        title=street.name,
        activities=public_activities().filter(group__building__compound__neighbourhood__street=street),
        calendar_url=reverse("public:street_calendar", args=[street.pk]),
        back=reverse("public:home"),
    )


@public_page
def activity(request, pk):
    item = get_public_activity(pk)
    return render(request, "public/activity.html", {"activity": item, "group": item.group, "photos": item.photos.all()})


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
    for item in activities.filter(ends_at__gte=since).order_by("starts_at", "pk")[:500]:
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


@public_page
def corridor_calendar(request, pk):
    group = get_public_group(pk)
    return _calendar(request, name=str(group), activities=public_activities().filter(group=group))


@public_page
def street_calendar(request, pk):
    street = get_object_or_404(Street, pk=pk)
    activities = public_activities().filter(group__building__compound__neighbourhood__street=street)
    return _calendar(request, name=street.name, activities=activities)


# --- Poster --------------------------------------------------------------------------


@public_page
def poster(request, pk):
    group = get_public_group(pk)
    application = approved_applications().filter(group=group).first()
    # The site's own address, not the request's Host header: a poster printed from a
    # page reached through a proxy, an IP address or a forged host must still lead home.
    url = f"{settings.SITE_URL}{group.get_public_url()}"
    # An SVG data URI: no file, no image decoding, allowed by the CSP (img-src data:).
    qr = segno.make(url, error="m").svg_data_uri(scale=8, border=2, dark="#000", light="#fff")
    context = {"group": group, "application": application, "url": url, "qr": qr}
    return render(request, "public/poster.html", context)
