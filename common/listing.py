"""Filter, sort and paginate a staff list the same way on every page."""

import functools
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.utils.functional import cached_property

PAGE_SIZE = 25
# What a long staff list counts at most (BoundedPaginator): beyond it, "more than … pages".
LIST_COUNT_LIMIT = 5000


def sort_queryset(queryset, request, allowed: dict[str, str], default: str):
    """``?sort=name`` or ``?sort=-name``, limited to the keys of ``allowed`` (key -> ORM field)."""
    key = request.GET.get("sort", default)
    descending = key.startswith("-")
    field = allowed.get(key.lstrip("-"))
    if field is None:
        key, descending, field = default, default.startswith("-"), allowed[default.lstrip("-")]
    return queryset.order_by(f"-{field}" if descending else field, "pk"), key


class BoundedPaginator(Paginator):
    """A paginator that counts at most ``count_limit`` rows (``COUNT(*)`` over a ``LIMIT``).

    Beyond that the list says "more than" (``paginator.more``) and the last page offered is the
    one holding row ``count_limit``: nobody reads page 2,000 of a list; they narrow the filters.
    """

    def __init__(self, *args, count_limit: int, **kwargs):
        self.count_limit = count_limit
        self.more = False
        super().__init__(*args, **kwargs)

    @cached_property
    def count(self):
        counted = self.object_list.order_by()[: self.count_limit + 1].count()
        self.more = counted > self.count_limit
        return min(counted, self.count_limit)


def paginate(queryset, request, per_page: int = PAGE_SIZE, *, count_limit: int | None = None):
    """The requested page; an out-of-range or malformed page number shows the nearest page.

    ``count_limit`` bounds the count of a list that can grow large (see ``BoundedPaginator``).
    """
    if count_limit is None:
        return Paginator(queryset, per_page).get_page(request.GET.get("page"))
    return BoundedPaginator(queryset, per_page, count_limit=count_limit).get_page(request.GET.get("page"))


class CountedBy:
    """Rows to page through, counted by another (lighter) queryset: ``paginate(CountedBy(
    rows.values(...joined fields...), rows), request)``. The display query joins the tables its
    columns come from; ``COUNT(*)`` of the same filter needs none of them, and then reads an
    index alone instead of every joined row."""

    ordered = True

    def __init__(self, rows, count_from):
        self.rows = rows
        self.count_from = count_from

    def count(self) -> int:
        return self.count_from.order_by().count()

    def __getitem__(self, index):
        return self.rows[index]

    def __len__(self) -> int:
        return self.count()


def page_rows(page, queryset):
    """Fill ``page`` (a page of primary keys: ``values_list("pk", flat=True)``) with ``queryset``'s
    rows for those keys, in the page's order.

    A long list sorted over joined tables sorts narrow rows (key and sort columns), then
    fetches the 25 wide rows it shows, with their ``select_related`` and prefetches, by key:
    sorting a district's 20,000 wide rows costs several times more than this second query.
    """
    keys = list(page.object_list)
    rows = {row.pk: row for row in queryset.filter(pk__in=keys).order_by()}
    page.object_list = [rows[key] for key in keys if key in rows]
    return page


def offer_names(field):
    """Offer a filter's ``ModelChoiceField`` its rows as (key, name) read as plain values, when
    the select is rendered; return the reader of those rows as {key: name} (read once, shared
    with the select). The select otherwise reads every row as a model instance (with its
    ``select_related``) through a server-side cursor. The rows' ``__str__`` must be their
    ``name``; the queryset still checks a chosen value. An export that never renders the
    select never reads them."""
    names = functools.cache(lambda: dict(field.queryset.values_list("pk", "name")))
    empty = [] if field.empty_label is None else [("", field.empty_label)]
    field.choices = lambda: [*empty, *names().items()]
    return names


class Row(dict):
    """A list row read as plain values (``values()``): ``row["name"]``, or ``row.name`` as the
    model instance it replaces was read (templates find the key either way)."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


# --- Keyset pages for long lists ------------------------------------------------------
#
# ``?page=4000`` makes PostgreSQL read and throw away 4,000 pages of rows (OFFSET). A keyset
# page instead remembers the sort key of the last row shown (``?after=…``) and asks for the
# rows after it, which an index on the sort key answers at the same cost on every page. Rows
# added while someone pages are never shown twice and never push a row off a page unseen.

CURSOR_SEPARATOR = "~"


@dataclass
class KeysetPage:
    object_list: list
    has_next: bool
    has_previous: bool
    next_cursor: str = ""
    previous_cursor: str = ""

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def _row_key(row, field: str):
    return row[field] if isinstance(row, dict) else getattr(row, field)


def _encode(row, field: str) -> str:
    value = _row_key(row, field)
    value = value.isoformat() if hasattr(value, "isoformat") else value
    return f"{value}{CURSOR_SEPARATOR}{_row_key(row, 'pk')}"


def _decode(queryset, field: str, cursor: str):
    """(value, pk) from a cursor, or None when it is malformed (then the first page is shown)."""
    value, separator, pk = (cursor or "").rpartition(CURSOR_SEPARATOR)
    if not separator:
        return None
    try:
        return queryset.model._meta.get_field(field).to_python(value), int(pk)
    except (ValidationError, ValueError, TypeError, OverflowError):
        return None


def _beyond(field: str, descending: bool, value, pk, *, forward: bool) -> Q:
    """Rows strictly after (forward) or before the key (value, pk) in the order field desc/asc, pk same way."""
    op = "lt" if descending == forward else "gt"
    # The first condition alone bounds an index range scan on (field, id); the OR only trims
    # the rows that share the cursor's value.
    return Q(**{f"{field}__{op}e": value}) & (Q(**{f"{field}__{op}": value}) | Q(**{f"pk__{op}": pk}))


def keyset_page(queryset, request, order: str, per_page: int = PAGE_SIZE) -> KeysetPage:
    """One page of ``queryset`` ordered by ``order`` (``"-published_at"``; the pk breaks ties,
    in the same direction), from ``?after=`` or ``?before=`` cursors. The sort column must not be
    null in the queryset, and an index on (column, id) makes every page cost the same."""
    descending = order.startswith("-")
    field = order.lstrip("-")
    direction = "-" if descending else ""
    forward_order = (f"{direction}{field}", f"{direction}pk")
    backward_order = tuple(o[1:] if o.startswith("-") else f"-{o}" for o in forward_order)
    after = _decode(queryset, field, request.GET.get("after"))
    before = None if after else _decode(queryset, field, request.GET.get("before"))
    if before:
        rows = list(
            queryset.filter(_beyond(field, descending, *before, forward=False)).order_by(*backward_order)[
                : per_page + 1
            ]
        )
        has_previous = len(rows) > per_page
        rows = rows[:per_page][::-1]
        has_next = True
    else:
        if after:
            queryset = queryset.filter(_beyond(field, descending, *after, forward=True))
        rows = list(queryset.order_by(*forward_order)[: per_page + 1])
        has_next = len(rows) > per_page
        rows = rows[:per_page]
        has_previous = after is not None
    return KeysetPage(
        object_list=rows,
        has_next=has_next and bool(rows),
        has_previous=has_previous and bool(rows),
        next_cursor=_encode(rows[-1], field) if rows else "",
        previous_cursor=_encode(rows[0], field) if rows else "",
    )
