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
from crispy_forms.utils import render_crispy_form
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import (
    BooleanField,
    Count,
    DateTimeField,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from common.hooks import call_hooks_flat
from common.http import address_maker
from common.listing import keyset_page
from common.models import PictureState
from common.pagecache import SITE, generations, public_page
from common.publictext import mask_personal
from common.search import text_condition
from corridors.calendar_feed import FEED_END, event_text, feed_head
from corridors.forms.public import GalleryFilterForm
from corridors.fragments import cached
from corridors.models import (
    Activity,
    ActivitySignup,
    Application,
    Building,
    BuildingGroup,
    Compound,
    ConventionVersion,
    GalleryWork,
    GroupPhoto,
    Neighbourhood,
    Role,
    RoleAssignment,
    Street,
    Theme,
    WorkImage,
)
from corridors.pagecache import (
    PLACES,
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
STREET_GROUPS_TIMEOUT = 3600


def _theme_name():
    """The theme of a group's latest approved application, for annotating groups."""
    return Subquery(approved_applications().filter(group=OuterRef("pk")).values("theme__name")[:1])


# A picture is shown once the worker has made its sizes (``corridors.images``); a work whose
# pictures are all still processing shows as a work without a picture.
READY = Q(picture_state=PictureState.READY)


# A work card as plain values (``work_cards``): the work's, its corridor's names, and its first
# ready picture's (read in a second query).
CARD_FIELDS = (
    "pk",
    "published_at",
    "updated_at",
    "title",
    "kind",
    "author_name",
    "author_consent",
    "group__name",
    "group__building__name",
    "group__building__compound__name",
)
IMAGE_FIELDS = (
    "pk",
    "image_small",
    "image_medium",
    "image_large",
    "small_width",
    "small_height",
    "medium_width",
    "medium_height",
    "large_width",
    "large_height",
    "alt_text",
)


def _first_images(rows: list[dict]) -> dict[int, dict]:
    """Each work's first ready picture (by its order), as values, in one query."""
    if not rows:
        return {}
    images = (
        WorkImage.objects.filter(READY, work_id__in=[row["pk"] for row in rows])
        .order_by("work_id", "order", "pk")
        .distinct("work_id")
        .values("work_id", *IMAGE_FIELDS)
    )
    return {image.pop("work_id"): image for image in images}


def work_cards(rows, *, show_group: bool = False, eager_first: bool = False) -> list:
    """The works' cards (``public/includes/work_card.html``) from their ``CARD_FIELDS`` values,
    each kept in the fragment cache under what it shows (``corridors.fragments``): a page
    renders only the cards it has not rendered before, and builds no model instance for the
    others (24 works with three levels of places and a picture each were a third of the
    gallery's time)."""
    rows = list(rows)
    images = _first_images(rows)
    template = get_template("public/includes/work_card.html")
    eager_pk = rows[0]["pk"] if rows and eager_first else None

    def group_label(row) -> str:
        return f"{row['group__building__compound__name']} {row['group__building__name']} {row['group__name']}"

    def stamp(row):
        image = images.get(row["pk"])
        return (
            row["pk"],
            row["updated_at"],
            row["title"],
            row["kind"],
            row["author_name"] if row["author_consent"] else "",
            group_label(row) if show_group else None,
            tuple(image.values()) if image else None,
            row["pk"] == eager_pk,
            show_group,
        )

    def render(row):
        work = GalleryWork(
            pk=row["pk"],
            title=row["title"],
            kind=row["kind"],
            author_name=row["author_name"],
            author_consent=row["author_consent"],
        )
        image = images.get(row["pk"])
        context = {
            "work": work,
            "image": WorkImage(**image) if image else None,
            "group_label": group_label(row) if show_group else "",
            "eager": row["pk"] == eager_pk,
            "show_group": show_group,
        }
        return template.render(context)

    return cached("work-card", rows, stamp, render)


def activity_items(activities, *, show_group: bool = False) -> list:
    """The activities' entries of a list (``public/includes/activity_item.html``), each kept in
    the fragment cache under what it shows."""
    template = get_template("public/includes/activity_item.html")

    def stamp(item):
        group = str(item.group) if show_group else None
        return (item.pk, item.title, item.starts_at, item.place, item.kind, item.attendance, group, show_group)

    def render(item):
        return template.render({"activity": item, "show_group": show_group})

    return cached("activity-item", activities, stamp, render)


def _upcoming_and_past(activities, limit=ACTIVITIES_SHOWN, *, bounded: bool = False):
    """The coming activities (not over yet) first to start, and the past ones last to start.

    ``bounded``: the coming ones are also asked to start no earlier than the first start of
    any activity not over yet (the same rows), which PostgreSQL reads through the ``ends_at``
    index first. Over a street's thousands of corridors the planner otherwise walks the
    ``starts_at`` index from the oldest activity, expecting the coming ones among them
    (19,500 rows read for 50 at district scale: 41 ms, bounded 1-2 ms).
    """
    now = timezone.now()
    coming = activities.filter(ends_at__gte=now)
    if bounded:
        # LEAST(starts_at, ends_at) is starts_at (activity_ends_after_start); as an expression
        # it keeps PostgreSQL from answering MIN by walking the starts_at index (the same
        # 19,500 rows) instead of reading the few not over yet through ends_at.
        start = Func(F("starts_at"), F("ends_at"), function="LEAST", output_field=DateTimeField())
        first_start = Func(start, function="MIN", output_field=DateTimeField())
        coming = coming.filter(
            starts_at__gte=Subquery(Activity.objects.filter(ends_at__gte=now).order_by().values(first=first_start))
        )
    upcoming = list(coming.order_by("starts_at", "pk")[:limit])
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
    # Plain values addressed from one reversal per kind of link (as the neighbourhood page): a
    # district's home page lists about a hundred neighbourhoods.
    neighbourhood_address = address_maker("public:neighbourhood")
    activities_address = address_maker("public:street_activities")
    calendar_address = address_maker("public:street_calendar")
    streets = {
        pk: {
            "label": f"{district} · {name}",
            "neighbourhoods": [],
            "activities_url": activities_address(pk),
            "calendar_url": calendar_address(pk),
        }
        for pk, name, district in Street.objects.values_list("pk", "name", "district__name")
    }
    for pk, name, street in Neighbourhood.objects.order_by("name").values_list("pk", "name", "street_id"):
        streets[street]["neighbourhoods"].append({"name": name, "url": neighbourhood_address(pk)})
    return render(request, "public/home.html", {"streets": list(streets.values())})


@public_page(depends=neighbourhood_page)
def neighbourhood(request, pk):
    place = get_object_or_404(Neighbourhood.objects.select_related("street"), pk=pk)
    rows = (
        public_groups()
        .filter(building__compound__neighbourhood=place)
        .order_by("building__compound__name", "building__compound_id", "building__name", "name")
        .values_list("pk", "name", "building__name", "building__compound_id", "building__compound__name")
    )
    # Plain values, addressed without a reversal per link: a neighbourhood has hundreds of
    # corridors, and model instances with four levels of places, each link reversed and each
    # name looked up by the template engine, were most of the page's time.
    corridor_address, compound_address = address_maker("public:corridor"), address_maker("public:compound")
    compounds: list[dict] = []
    for pk, name, building, compound_id, compound_name in rows:
        if not compounds or compounds[-1]["pk"] != compound_id:
            compounds.append(
                {"pk": compound_id, "name": compound_name, "url": compound_address(compound_id), "groups": []}
            )
        compounds[-1]["groups"].append({"label": f"{building} {name}", "url": corridor_address(pk)})
    return render(request, "public/neighbourhood.html", {"neighbourhood": place, "compounds": compounds})


@public_page(depends=compound_page)
def compound(request, pk):
    place = get_object_or_404(Compound.objects.select_related("neighbourhood__street"), pk=pk)
    # Plain values addressed from one reversal (as the neighbourhood page): no model
    # instances with four levels of places, no ``reverse()`` per corridor.
    rows = (
        BuildingGroup.objects.filter(is_active=True, building__compound=place)
        .annotate(theme_name=_theme_name())
        .order_by("building_id", "name")
        .values_list("pk", "name", "building__name", "theme_name")
    )
    address = address_maker("public:corridor")
    groups = [
        {"label": f"{building} {name}", "theme_name": theme, "url": address(group_pk)}
        for group_pk, name, building, theme in rows
    ]
    upcoming, past = _upcoming_and_past(_listed(public_activities().filter(group__building__compound=place)))
    context = {
        "compound": place,
        "groups": groups,
        "upcoming": upcoming,
        "past": past,
        "upcoming_items": activity_items(upcoming, show_group=True),
        "past_items": activity_items(past, show_group=True),
    }
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
    # The cards show no group here: the works' places are not read.
    works = Paginator(public_works().filter(group=group).values(*CARD_FIELDS), WORKS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    # This corridor's own activities: its places are on the page already.
    activities = public_activities().filter(group=group).select_related(None)
    now = timezone.now()
    # Only the coming ones show their places taken (a count over the sign-ups, grouped by
    # every column); past entries show what the list's entries show.
    upcoming = list(
        _with_places(activities.defer("description")).filter(ends_at__gte=now).order_by("starts_at", "pk")[:5]
    )
    past = list(activities.only(*LISTED_FIELDS).filter(ends_at__lt=now).order_by("-starts_at", "-pk")[:5])
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
        "cards": work_cards(works),
        "progress": progress,
        "photos": photos,
        "upcoming": upcoming,
        "past": past,
        "past_items": activity_items(past),
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


class KeyIn(Func):
    """``column = ANY('{1,2,…}'::bigint[])``: the keys as one text value, planned as one
    constant (an ``IN`` list of 4,800 keys took longer to plan than to run; Django's array
    field adapted each key on its own) and hashed by PostgreSQL. The array is of the keys'
    own type (``bigint``): an ``integer[]`` made the comparison cross-type, which PostgreSQL
    does not hash, and each row was compared with every key in turn (a street's 1,700
    corridors: 13-35 ms for the activities of one page, 1.8 ms hashed)."""

    arg_joiner = " = ANY("
    template = "(%(expressions)s::bigint[]))"
    output_field = BooleanField()

    def __init__(self, column: str, keys: list[int] | str):
        """``keys``: the keys, or their array literal already written (``key_array``)."""
        super().__init__(F(column), Value(keys if isinstance(keys, str) else key_array(keys)))


def key_array(keys) -> str:
    """``'{1,2,…}'``: the keys as one PostgreSQL array literal."""
    return "{" + ",".join(str(int(key)) for key in keys) + "}"


# Past this many corridors matching a word (a twentieth of a district's), the search stops
# listing them: a word that common ("和平" is in a quarter of the district's place names)
# is tested on each row as the works (and corridors) are walked in page order.
WALK_FROM = 1000


def _text(model, query: str, prefix: str = "") -> Q:
    condition = text_condition(model, query, prefix)
    return condition if condition is not None else Q(pk__in=[])


def _matching_groups(query: str) -> list[int] | None:
    """The keys of the corridors whose place (neighbourhood, compound, building, own name) or
    approved application's title contains ``query``, in one query: each small table matched
    through its character-pair index (``common.search``), then followed down by key index
    (compounds → buildings → groups), the parts joined by ``UNION ALL``; ``None`` when more
    than ``WALK_FROM`` match (then ``_place_match`` tests each row instead).

    A selective word matches a few corridors: read once as a list, they reach the works' and
    the corridors' queries as a constant array, which PostgreSQL hashes, and the works by
    those corridors are found through the corridor key's index. An unselective one stops
    after ``WALK_FROM`` rows: listing 4,800 corridors ("和平") cost 16–30 ms, and planning and
    probing arrays that long in the pages' queries as much again.
    """

    def named(model):
        return model.objects.filter(_text(model, query)).values("pk")

    # A few hundred compounds at most (a district has about a thousand): read first, so the
    # planner sees how few they are and follows them down the key indexes.
    compounds = list(
        Compound.objects.filter(_text(Compound, query) | Q(neighbourhood__in=named(Neighbourhood)))
        .order_by()
        .values_list("pk", flat=True)
    )
    in_compounds = Building.objects.filter(compound_id__in=compounds).values("pk")
    groups = BuildingGroup.objects.order_by()
    # The compounds' corridors last: for a common word they are the many rows the limit cuts.
    parts = [
        groups.filter(_text(BuildingGroup, query)).values_list("pk"),
        groups.filter(building__in=named(Building)).values_list("pk"),
        approved_applications().filter(_text(Application, query)).order_by().values_list("group_id"),
        groups.filter(building__in=in_compounds).values_list("pk"),
    ]
    # UNION ALL streams, so the limit stops it; a corridor matched twice counts twice here.
    rows = list(parts[0].union(*parts[1:], all=True)[: WALK_FROM + 1])
    if len(rows) > WALK_FROM:
        return None
    return sorted({pk for (pk,) in rows})


def _place_match(query: str, prefix: str = "") -> Q:
    """``_matching_groups`` as a test of one row: the corridor at ``prefix`` (``"group__"`` from
    a work, ``""`` from a corridor) matches ``query`` by its name, its building's, its
    compound's, its neighbourhood's or its approved application's title.

    For a common word only: the pages walk their order index (works by date, corridors by
    compound name) and test each row (the corridor, building and compound are joined for
    the page anyway; the neighbourhoods and the applications are matched once, by their
    indexes, and hashed) until the page is full, a few hundred rows when thousands match.
    """
    compound = f"{prefix}building__compound__"
    applications = approved_applications().filter(_text(Application, query), group=OuterRef(f"{prefix}pk")).order_by()
    return (
        _text(Compound, query, compound)
        | Q(**{f"{compound}neighbourhood__in": Neighbourhood.objects.filter(_text(Neighbourhood, query)).values("pk")})
        | _text(BuildingGroup, query, prefix)
        | _text(Building, query, f"{prefix}building__")
        | Q(Exists(applications))
    )


def _corridor_links(groups) -> list[dict]:
    """The gallery's corridor buttons as plain values: name, theme and address."""
    address = address_maker("public:corridor")
    rows = groups.values("pk", "name", "building__name", "building__compound__name", "theme_name")[:CORRIDORS_SHOWN]
    return [
        {
            "label": f"{row['building__compound__name']} {row['building__name']} {row['name']}",
            "theme_name": row["theme_name"],
            "url": address(row["pk"]),
        }
        for row in rows
    ]


def _filter_form(form, themes: list[str]) -> SafeString:
    """The search and theme form, from the fragment cache: crispy-forms rendering it took a
    fifth of the gallery's time, and it shows only what was typed, chosen and offered."""
    data = form.data
    stamp = (data.get("q"), data.get("theme"), tuple(themes))
    return cached("gallery-form", [form], lambda _form: stamp, render_crispy_form)[0]


@public_page(depends=gallery_page, max_age=WORKS_MAX_AGE)
def gallery(request):
    themes = sorted(set(Theme.objects.filter(is_active=True).values_list("name", flat=True)))
    form = GalleryFilterForm(request.GET, themes=themes)
    query, theme = form.filters()
    # The cards read plain values (``CARD_FIELDS``): the work, its picture and its corridor's
    # names; never the long columns (texts, search pieces) or the places above the compound.
    works = public_works().alias(
        theme_name=Subquery(approved_applications().filter(group=OuterRef("group")).values("theme__name")[:1])
    )
    groups = public_groups().annotate(theme_name=_theme_name())
    if theme:
        works = works.filter(theme_name=theme)
        groups = groups.filter(theme_name=theme)
    own_text = text_condition(GalleryWork, query) if query else None
    if own_text is not None:
        # The small tables first (places by name, applications by title), then the works by
        # those corridors or by their own indexed title and text (common.search).
        matching = _matching_groups(query)
        if matching is None:
            # The corridors' tests first: the work's own text is the costly one.
            groups = groups.filter(_place_match(query))
            works = works.filter(_place_match(query, "group__") | own_text)
        else:
            groups = groups.filter(KeyIn("pk", matching))
            works = works.filter(own_text | Q(KeyIn("group_id", matching)))
    # Keyset pages (common.listing): page 4,000 costs what page 1 does, through the
    # (state, published_at) index.
    page = keyset_page(works.values(*CARD_FIELDS), request, "-published_at", WORKS_PER_PAGE)
    if not (query or theme):
        # Unfiltered, the first corridors by name lie in the first compounds by name: sorting
        # those few instead of a district's 20,000 groups (a sort over four joined tables).
        first_compounds = Compound.objects.order_by("name", "pk").values("pk")[:CORRIDORS_SHOWN]
        groups = groups.filter(building__compound__in=Subquery(first_compounds))
    context = {
        "page_obj": page,
        # Rendered when the template reaches it: the layout's error summary (above the page)
        # rewrites a refused field's message first.
        "filter_form": lazy(_filter_form, SafeString)(form, themes),
        "cards": work_cards(page, show_group=True, eager_first=True),
        # The key last: two corridors may share all three names (the same page either way).
        "corridors": _corridor_links(groups.order_by("building__compound__name", "building__name", "name", "pk")),
        "form": form,
    }
    return render(request, "public/gallery.html", context)


@public_page(depends=work_page, max_age=WORKS_MAX_AGE)
def work(request, pk):
    item = get_public_work(pk)
    images = item.images.filter(READY).order_by("order", "pk")
    return render(request, "public/work.html", {"work": item, "group": item.group, "images": images})


# --- Activities ----------------------------------------------------------------------


def _listed(activities):
    """Activities as lists show them: with their corridor's name (not the places above its
    compound) and without their description."""
    return (
        activities.select_related(None)
        .select_related("group__building__compound")
        .only(*LISTED_FIELDS, "group__name", "group__building__name", "group__building__compound__name")
    )


# What a list's entry (``public/includes/activity_item.html``) shows, and what picks it.
LISTED_FIELDS = ("pk", "title", "starts_at", "ends_at", "place", "kind", "attendance", "group_id")


def _street_group_keys(street_pk: int) -> str:
    """The keys of a street's active corridors (a street has a few thousand) as an array literal
    (``key_array``), kept in Django's cache (every node shares it) under the place tree's
    page-cache generation, which every save or delete of a place renews (a corridor made
    inactive, moved or added: ``corridors.pagecache``)."""
    key = "street-group-keys:{}:{}".format(street_pk, ".".join(generations([SITE, PLACES])))
    keys = cache.get(key)
    if keys is None:
        groups = BuildingGroup.objects.filter(is_active=True, building__compound__neighbourhood__street_id=street_pk)
        keys = key_array(groups.order_by("pk").values_list("pk", flat=True))
        cache.set(key, keys, STREET_GROUPS_TIMEOUT)
    return keys


def _street_activities(street):
    """A street's public activities, matched by the keys of its active corridors, passed as one
    constant that PostgreSQL hashes and tests on each activity read in date order, before
    joining the few it keeps to their places (a subquery made it join a district's
    activities in the window first)."""
    return Activity.objects.filter(KeyIn("group_id", _street_group_keys(street.pk)))


# A list page's entries as plain rows: what an entry shows and its corridor's names.
LISTED_ROW = (*LISTED_FIELDS, "group__name", "group__building__name", "group__building__compound__name")


def _row_items(rows) -> list:
    """``activity_items(…, show_group=True)`` of plain rows (``LISTED_ROW``): the same stamps, so
    the same fragments; an activity (with its corridor's names) is built only for an entry the
    cache does not hold. A street's 100 entries as model instances with three places each were
    most of its page's time."""
    template = get_template("public/includes/activity_item.html")

    def label(row) -> str:
        return f"{row.group__building__compound__name} {row.group__building__name} {row.group__name}"

    def stamp(row):
        return (row.pk, row.title, row.starts_at, row.place, row.kind, row.attendance, label(row), True)

    def render(row):
        building = Building(name=row.group__building__name, compound=Compound(name=row.group__building__compound__name))
        group = BuildingGroup(pk=row.group_id, name=row.group__name, building=building)
        fields = {name: getattr(row, name) for name in LISTED_FIELDS if name != "group_id"}
        return template.render({"activity": Activity(**fields, group=group), "show_group": True})

    return cached("activity-item", rows, stamp, render)


def _activities_page(request, *, title, activities, calendar_url=None, back=None, bounded=False):
    rows = activities.select_related(None).values_list(*LISTED_ROW, named=True)
    upcoming, past = _upcoming_and_past(rows, limit=50, bounded=bounded)
    context = {
        "title": title,
        "upcoming": upcoming,
        "past": past,
        "upcoming_items": _row_items(upcoming),
        "past_items": _row_items(past),
        "calendar_url": calendar_url,
        "back": back,
    }
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
        bounded=True,
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


def _group_labels(group_ids) -> dict[int, str]:
    """``{key: "compound building group"}`` (``str(group)``) of these corridors, in one query."""
    rows = BuildingGroup.objects.filter(pk__in=sorted(group_ids)).values_list(
        "pk", "building__compound__name", "building__name", "name"
    )
    return {pk: f"{compound} {building} {name}" for pk, compound, building, name in rows}


# What a feed's event shows, read as plain rows without the places (their names come by key).
CALENDAR_FIELDS = ("pk", "group_id", "title", "starts_at", "ends_at", "place", "description", "updated_at")


def _calendar(request, *, name: str, activities, labels=None) -> HttpResponse:
    """An iCalendar feed (RFC 5545) of recent and coming activities.

    Each event is written once as plain text (``corridors.calendar_feed``) and kept in the
    fragment cache under what it says (``corridors.fragments``); the feed is the calendar's
    own lines around them. ``labels``: the corridors' names when the caller knows them.
    """
    since = timezone.now() - datetime.timedelta(days=CALENDAR_PAST_DAYS)
    host = request.get_host().split(":")[0]
    # At most CALENDAR_MAX_EVENTS: when there are more, the oldest are left out, never the
    # coming ones (the newest first from the database, then in date order for the feed).
    shown = activities.select_related(None).values_list(*CALENDAR_FIELDS, named=True)
    shown = list(shown.filter(ends_at__gte=since).order_by("-starts_at", "-pk")[:CALENDAR_MAX_EVENTS])
    shown.reverse()
    if labels is None:
        labels = _group_labels({item.group_id for item in shown})
    url = address_maker("public:activity")
    root = request.build_absolute_uri("/").rstrip("/")

    def stamp(item):
        return (
            item.pk,
            host,
            item.updated_at,
            item.starts_at,
            item.ends_at,
            item.title,
            item.place,
            labels[item.group_id],
            item.description,
            root + url(item.pk),
        )

    def render(item):
        return event_text(
            uid=f"activity-{item.pk}@{host}",
            stamp=item.updated_at,
            starts=item.starts_at,
            ends=item.ends_at,
            summary=item.title,
            location=f"{item.place} · {labels[item.group_id]}",
            description=item.description,
            url=root + url(item.pk),
        )

    events = cached("ics-event", shown, stamp, render)
    response = HttpResponse(
        "".join([feed_head(name), *events, FEED_END]).encode(), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="activities.ics"'
    return response


@public_page(depends=group_page)
def corridor_calendar(request, pk):
    group = get_public_group(pk)
    activities = public_activities().filter(group=group)
    return _calendar(request, name=str(group), activities=activities, labels={group.pk: str(group)})


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
