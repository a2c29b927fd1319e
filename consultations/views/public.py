"""The public board 你反映·我来办: resolved requests by category and compound, anonymised, no sign-in."""

from django.db.models import Count
from django.shortcuts import render

from common.listing import paginate
from consultations.models import Category, ConsultationRequest
from consultations.public import anonymise
from consultations.workflow import PUBLIC_STATES

PUBLIC_PAGE_SIZE = 20
# Only these columns leave the database: the page cannot show what it never received.
PUBLIC_FIELDS = (
    "pk",
    "title",
    "category__name",
    "compound__name",
    "building__name",
    "department__name",
    "households",
    "created_at",
    "resolved_at",
)
SCRUB_NAMES = ("representative__full_name", "assigned_officer__full_name")


def _entry(row: dict) -> dict:
    names = [row.pop(field) for field in SCRUB_NAMES]
    row["title"] = anonymise(row["title"], names)
    row["days"] = (row["resolved_at"] - row["created_at"]).days if row["resolved_at"] else None
    return row


def public_board(request):
    resolved = ConsultationRequest.objects.filter(state__in=PUBLIC_STATES)
    categories = Category.objects.filter(pk__in=resolved.values("category")).order_by("position", "name")
    category = request.GET.get("category", "")
    shown = resolved.filter(category_id=category) if category.isdigit() else resolved
    by_category = resolved.values("category_id", "category__name").annotate(n=Count("pk")).order_by("-n")
    by_compound = shown.values("compound__name").annotate(n=Count("pk")).order_by("-n", "compound__name")
    page_obj = paginate(
        shown.order_by("-resolved_at", "-pk").values(*PUBLIC_FIELDS, *SCRUB_NAMES), request, PUBLIC_PAGE_SIZE
    )
    entries = [_entry(dict(row)) for row in page_obj]
    return render(
        request,
        "consultations/public_board.html",
        {
            "page_obj": page_obj,
            "entries": entries,
            "total": resolved.count(),
            "by_category": by_category,
            "by_compound": by_compound,
            "categories": categories,
            "category": category,
        },
    )
