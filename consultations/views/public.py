"""The public board 你反映·我来办: resolved requests by street, category and compound,
anonymised, no sign-in.

Each request appears under its ``public_summary``, the line the person resolving it wrote
or approved; the representative's own summary and text never leave the database here.

A deployment may serve several streets, so the board filters by street first; the
categories are the chosen street's, the compounds those of the chosen street and category.
Every count and list is one aggregate query, whatever the number of requests; the counts
(streets, categories, compounds) are the same for every visitor and are kept in Django's
cache (every node shares it) under the board's and the place tree's page-cache generations,
which every save or delete of a request, category, department or place renews
(``consultations.pagecache``): a page the page cache renders again reads only its rows.
"""

from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count
from django.shortcuts import render
from django.template.loader import get_template

from common.listing import CountedBy, paginate
from common.pagecache import SITE, generations, public_page
from consultations.models import ConsultationRequest
from consultations.pagecache import board_page
from consultations.workflows.request import PUBLIC_STATES
from corridors.fragments import cached
from corridors.models import Street

PUBLIC_PAGE_SIZE = 20
# The busiest compounds only: across a district there are thousands, and a list of them all
# made the board a 316 KB page. A compound further down is still reached by its link.
COMPOUNDS_SHOWN = 30
# Only these columns leave the database: the page cannot show what it never received.
PUBLIC_FIELDS = (
    "pk",
    "public_summary",
    "category__name",
    "compound__name",
    "building__name",
    "department__name",
    "households",
    "created_at",
    "resolved_at",
)


def _entry(row: dict) -> dict:
    row["days"] = (row["resolved_at"] - row["created_at"]).days if row["resolved_at"] else None
    return row


def _chosen(request, name: str, offered) -> int | None:
    """The id asked for in the query string if it is one of those offered, else no filter."""
    try:
        value = int(request.GET.get(name, ""))
    except ValueError:
        # Not a number (including digits int() refuses, such as "²"): no filter.
        return None
    return value if value in offered else None


def _chosen_compound(request, in_category, by_compound) -> int | None:
    """The compound asked for if it has requests on the board here (shown in the list or not)."""
    compound = _chosen(request, "compound", {row["compound_id"] for row in by_compound})
    if compound is None:
        try:
            asked = int(request.GET.get("compound", ""))
        except ValueError:
            return None
        if -(2**31) <= asked < 2**31 and in_category.filter(compound_id=asked).exists():
            return asked
    return compound


# How long the board's counts are kept (a change renews the generations sooner).
FACETS_TIMEOUT = 3600


class _CountKnown(CountedBy):
    """Rows whose number the board's counts already say: the paginator asks no ``COUNT(*)``."""

    def __init__(self, rows, n: int):
        super().__init__(rows, None)
        self.n = n

    def count(self) -> int:
        return self.n


def _counts(key: str, compute):
    """``compute()`` from the cache, under the board's generations and ``key``."""
    stamp = ".".join(generations([SITE, *board_page(None)]))
    full = f"board-facets:{stamp}:{key}"
    found = cache.get(full)
    if found is None:
        found = compute()
        cache.set(full, found, FACETS_TIMEOUT)
    return found


def _link(**params) -> str:
    return "?" + urlencode({name: value for name, value in params.items() if value})


@public_page(depends=board_page)
def public_board(request):
    resolved = ConsultationRequest.objects.filter(state__in=PUBLIC_STATES)
    streets = _counts(
        "streets",
        lambda: list(
            Street.objects.filter(pk__in=resolved.values("neighbourhood__street_id"))
            .order_by("name")
            .values("pk", "name")
        ),
    )
    street = _chosen(request, "street", {s["pk"] for s in streets})
    in_street = resolved.filter(neighbourhood__street_id=street) if street else resolved

    by_category = _counts(
        f"categories:{street}",
        lambda: list(
            in_street.values("category_id", "category__name").annotate(n=Count("pk")).order_by("-n", "category__name")
        ),
    )
    category = _chosen(request, "category", {row["category_id"] for row in by_category})
    in_category = in_street.filter(category_id=category) if category else in_street

    by_compound = _counts(
        f"compounds:{street}:{category}:{COMPOUNDS_SHOWN}",
        lambda: list(
            in_category.values("compound_id", "compound__name")
            .annotate(n=Count("pk"))
            .order_by("-n", "compound__name", "compound_id")[:COMPOUNDS_SHOWN]
        ),
    )
    compound = _chosen_compound(request, in_category, by_compound)
    shown = in_category.filter(compound_id=compound) if compound else in_category
    # How many requests the page pages through, from the counts when they say it.
    if compound is not None:
        known = next((row["n"] for row in by_compound if row["compound_id"] == compound), None)
    elif category is not None:
        known = next(row["n"] for row in by_category if row["category_id"] == category)
    else:
        known = sum(row["n"] for row in by_category)

    # Links keep the coarser choices and drop the finer ones (a category belongs to one street).
    for row in streets:
        row.update(url=_link(street=row["pk"]), active=row["pk"] == street)
    for row in by_category:
        row.update(url=_link(street=street, category=row["category_id"]), active=row["category_id"] == category)
    for row in by_compound:
        row.update(
            url=_link(street=street, category=category, compound=row["compound_id"]),
            active=row["compound_id"] == compound,
        )

    # Counted from the counts above, else without the display's joins: an index-only count
    # (request_board_facets).
    rows = shown.order_by("-resolved_at", "-pk").values(*PUBLIC_FIELDS)
    counted = CountedBy(rows, shown) if known is None else _CountKnown(rows, known)
    page_obj = paginate(counted, request, PUBLIC_PAGE_SIZE)
    entries = [_entry(dict(row)) for row in page_obj]
    filters = {
        "streets": streets if len(streets) > 1 else [],
        "street": street,
        "by_category": by_category,
        "all_categories_url": _link(street=street) if street else "?",
        "category": category,
        "by_compound": by_compound,
        "all_compounds_url": _link(street=street, category=category) if street or category else "?",
        "compound": compound,
    }
    return render(
        request,
        "consultations/public/public_board.html",
        {
            "page_obj": page_obj,
            "entries": _board_entries(entries),
            "total": sum(row["n"] for row in by_category),
            "filters": _board_filters(filters),
            "filtered": bool(street or category or compound),
        },
    )


def _board_filters(context: dict) -> str:
    """The street, category and compound choices, from the fragment cache (``corridors.fragments``)
    under everything they show: the counts and the choices made."""
    template = get_template("consultations/public/includes/board_filters.html")

    def stamp(context):
        return tuple(
            (name, tuple(tuple(sorted(row.items())) for row in value) if isinstance(value, list) else value)
            for name, value in sorted(context.items())
        )

    return cached("board-filters", [context], stamp, template.render)[0]


def _board_entries(entries: list[dict]) -> list:
    """The page's requests, each from the fragment cache under what it shows."""
    template = get_template("consultations/public/includes/board_entry.html")
    return cached(
        "board-entry",
        entries,
        lambda entry: tuple(sorted(entry.items())),
        lambda entry: template.render({"entry": entry}),
    )
