"""Filter, sort and paginate a staff list the same way on every page."""

from django.core.paginator import Paginator

PAGE_SIZE = 25


def sort_queryset(queryset, request, allowed: dict[str, str], default: str):
    """``?sort=name`` or ``?sort=-name``, limited to the keys of ``allowed`` (key -> ORM field)."""
    key = request.GET.get("sort", default)
    descending = key.startswith("-")
    field = allowed.get(key.lstrip("-"))
    if field is None:
        key, descending, field = default, default.startswith("-"), allowed[default.lstrip("-")]
    return queryset.order_by(f"-{field}" if descending else field, "pk"), key


def paginate(queryset, request, per_page: int = PAGE_SIZE):
    """The requested page; an out-of-range or malformed page number shows the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
