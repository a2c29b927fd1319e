"""One search box across everything a signed-in person may see (issue 15 item 6).

Each section reads through the same scoped selectors as its list (``*_for_user``), so
nothing out of scope is found; text goes through ``common.search.first_matches`` (the
character-pair index), a number also finds the record with that number. Other apps add
their sections through the ``staff_search(user, q)`` hook (funds: campaigns and units;
consultations: requests); each answers at most ``SEARCH_SHOWN`` rows and whether there are more.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from common.hooks import call_hooks_flat
from common.masking import mask_name
from common.pagecache import generations
from common.search import clean_query, first_matches, shared_matches
from corridors.models import Building, BuildingGroup, Compound, Neighbourhood, Street
from corridors.pagecache import PLACES
from corridors.selectors import accounts_for_user, applications_for_user, groups_for_user

SEARCH_SHOWN = 10


def search_section(title: str, queryset, q: str, row, *, by_number: bool = True) -> dict:
    """A section of results: ``row(obj) -> (label, url, detail)`` for the newest rows found.

    Two queries whatever the data: the keys of the first rows (``common.search.first_matches``:
    one bounded query per way a row can match), then those rows with their places."""
    keys = first_matches(
        queryset, q, SEARCH_SHOWN + 1, number=int(q) if by_number and q.isdigit() and len(q) < 10 else None
    )
    if not keys:
        return {"title": title, "rows": [], "more": False}
    # The keys are already the reader's (found through ``queryset``): the rows are read by key
    # alone, without building the scope's joins again, and without their character pairs.
    model = queryset.model
    rows = model._base_manager.select_related(*_related(queryset)).defer(*_unread(model))
    shown = rows.filter(pk__in=keys[:SEARCH_SHOWN]).order_by("-pk")
    return {"title": title, "rows": [row(obj) for obj in shown], "more": len(keys) > SEARCH_SHOWN}


def _related(queryset) -> list[str]:
    """The ``select_related`` paths of ``queryset`` (a nested dict in its query), flattened."""

    def walk(tree: dict, prefix: str) -> list[str]:
        paths = []
        for name, below in tree.items():
            path = f"{prefix}{name}"
            paths.extend(walk(below, f"{path}__") if below else [path])
        return paths

    tree = queryset.query.select_related
    return walk(tree, "") if isinstance(tree, dict) else []


def _unread(model) -> list[str]:
    return ["search_bigrams"] if any(f.name == "search_bigrams" for f in model._meta.concrete_fields) else []


def corridors_sections(user, q: str) -> list[dict]:
    sections = [
        search_section(
            _("Applications"),
            applications_for_user(user).select_related("group__building__compound"),
            q,
            lambda a: (f"#{a.pk} {a.title}", a.get_absolute_url(), str(a.group)),
        ),
        search_section(
            _("Building groups"),
            groups_for_user(user).select_related("building__compound"),
            q,
            lambda g: (str(g), g.get_absolute_url(), ""),
        ),
    ]
    accounts = accounts_for_user(user)
    if accounts.query.is_empty():
        return sections
    people = accounts.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    rows = list(people.order_by("username")[: SEARCH_SHOWN + 1])
    sections.append(
        {
            "title": _("Accounts"),
            "rows": [
                (u.username, reverse("people:detail", args=[u.pk]), mask_name(u.full_name)) for u in rows[:SEARCH_SHOWN]
            ],
            "more": len(rows) > SEARCH_SHOWN,
        }
    )
    return sections


def _place_stamps() -> dict[str, str]:
    """The place tables' current generation (``corridors.pagecache.PLACES``: bumped on every
    save and delete of a street, neighbourhood, compound, building or group), for each of them."""
    (stamp,) = generations([PLACES])
    return {model._meta.label: stamp for model in (Street, Neighbourhood, Compound, Building, BuildingGroup)}


@login_required
def site_search(request):
    q = clean_query(request.GET.get("q"))
    sections = []
    if q:
        with shared_matches(_place_stamps()):
            sections = corridors_sections(request.user, q) + call_hooks_flat("staff_search", request.user, q)
    found = any(section["rows"] for section in sections)
    return render(request, "corridors/search/results.html", {"q": q, "sections": sections, "found": found})
