"""Lists of warm-corridor applications: the committee's queue, the street's list and its .xlsx export."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from common import money
from common.export import xlsx_response
from common.http import address_maker
from common.listing import Row, paginate, sort_queryset
from common.permissions import require
from common.search import search_filter
from corridors.forms.applications import ApplicationFilterForm
from corridors.forms.street_filter import add_street_field, filter_by_street
from corridors.list_counts import CachedCount, count_key
from corridors.models import Application, BudgetItem, ProgrammeYear, Theme
from corridors.selectors import applications_for_user, neighbourhoods_for_user, scope_of
from corridors.workflows.application import State

SORTS = {
    "updated": "updated_at",
    "submitted": "submitted_at",
    "title": "title",
    "group": "group__building__compound__name",
    "neighbourhood": "group__building__compound__neighbourhood__name",
    "theme": "theme__position",
    "state": "state",
    "year": "programme_year__year",
    "budget": "budget_total",
}

# The street list counts at most this many (common.listing.BoundedPaginator).
COUNT_LIMIT = 5000

MONEY = DecimalField(max_digits=14, decimal_places=2)


def _with_budget_total(applications):
    # A subquery rather than a join + GROUP BY, so filters and search never multiply rows.
    total = (
        BudgetItem.objects.filter(application=OuterRef("pk")).values("application").annotate(s=Sum("total")).values("s")
    )
    return applications.annotate(budget_total=Coalesce(Subquery(total, output_field=MONEY), Value(Decimal("0.00"))))


@login_required
def committee_queue(request):
    require(request.user, "corridors.endorse_applications")
    scope = scope_of(request.user)
    mine = _with_budget_total(
        applications_for_user(request.user).filter(
            group__building__compound__neighbourhood_id__in=scope.committee_neighbourhoods
        )
    )
    waiting = mine.filter(state=State.SUBMITTED).order_by("submitted_at", "pk")
    others = mine.exclude(state__in=[State.SUBMITTED, State.DRAFT]).order_by("-updated_at", "-pk")
    return render(
        request,
        "corridors/applications/queue.html",
        {"waiting": waiting, "page_obj": paginate(others, request)},
    )


def _street_applications(request):
    """The street list as filtered, searched and sorted by the query string."""
    scope = scope_of(request.user)
    applications = _with_budget_total(
        applications_for_user(request.user).filter(
            group__building__compound__neighbourhood__street_id__in=scope.visible_streets
        )
    )
    years = (
        ProgrammeYear.objects.filter(street_id__in=scope.visible_streets)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    form = ApplicationFilterForm(
        request.GET or None,
        neighbourhoods=neighbourhoods_for_user(request.user).filter(street_id__in=scope.visible_streets),
        themes=Theme.objects.filter(street_id__in=scope.visible_streets),
        years=list(years),
    )
    add_street_field(form, scope_of(request.user).visible_streets)
    applications = filter_by_street(applications, form, "group__building__compound__neighbourhood__street_id")
    if form.is_valid():
        data = form.cleaned_data
        if data["state"]:
            applications = applications.filter(state=data["state"])
        if data["neighbourhood"]:
            applications = applications.filter(group__building__compound__neighbourhood=data["neighbourhood"])
        if data["theme"]:
            applications = applications.filter(theme=data["theme"])
        if data["year"]:
            applications = applications.filter(programme_year__year=data["year"])
        if q := data["q"].strip():
            applications = search_filter(applications, q)
    applications, sort = sort_queryset(applications, request, SORTS, "-updated")
    return form, applications, sort


def _rows(keys: list[int]) -> list[dict]:
    """The page's rows for the applications ``keys``, in that order, as plain values with what
    each cell shows (the group's full name, the address, the state's label, the budget and the
    date as the page writes them): eight model instances a row and a ``reverse()`` each cost
    more than the page's queries."""
    address = address_maker("applications:detail")
    labels = dict(State.choices)
    rows = {
        row["pk"]: Row(row)
        for row in _with_budget_total(Application.objects.filter(pk__in=keys)).values(
            "pk",
            "title",
            "state",
            "updated_at",
            "budget_total",
            year=F("programme_year__year"),
            theme_name=F("theme__name"),
            group_name=F("group__name"),
            building_name=F("group__building__name"),
            compound_name=F("group__building__compound__name"),
            neighbourhood_name=F("group__building__compound__neighbourhood__name"),
        )
    }
    for key, row in rows.items():
        row["url"] = address(key)
        # BuildingGroup.__str__: "compound building group".
        row["group_label"] = f"{row['compound_name']} {row['building_name']} {row['group_name']}"
        # What state_badge.html reads of an application.
        row["get_state_display"] = labels.get(row["state"], row["state"])
        row["budget"] = money.yuan(row["budget_total"])
        row["updated"] = formats.date_format(timezone.localtime(row["updated_at"]), "DATETIME_FORMAT")
    return [rows[key] for key in keys if key in rows]


def _page(applications, request):
    """The page's keys sorted over narrow rows, then its 25 rows (budget totals, places) by key;
    a district's list counts at most COUNT_LIMIT (common.listing), and the count is kept in the
    cache until an application, place or programme year changes (corridors.list_counts)."""
    keys = applications.values_list("pk", flat=True)
    keys = CachedCount(keys, count_key("applications", scope_of(request.user), request.GET))
    page = paginate(keys, request, count_limit=COUNT_LIMIT)
    page.object_list = _rows(list(page.object_list))
    return page


@login_required
def application_list(request):
    require(request.user, "corridors.view_street_lists")
    form, applications, sort = _street_applications(request)
    return render(
        request,
        "corridors/applications/list.html",
        {"form": form, "page_obj": _page(applications, request), "sort": sort},
    )


@login_required
def application_export(request):
    require(request.user, "corridors.view_street_lists")
    _form, applications, _sort = _street_applications(request)
    headers = [
        _("Year"),
        _("Neighbourhood"),
        _("Compound"),
        _("Building"),
        _("Building group"),
        _("Title"),
        _("Theme"),
        _("State"),
        _("Households that agreed"),
        _("Households in the group"),
        _("Budget (yuan)"),
        _("Submitted"),
        _("Updated"),
    ]
    rows = (
        [
            a.programme_year.year,
            a.group.building.compound.neighbourhood.name,
            a.group.building.compound.name,
            a.group.building.name,
            a.group.name,
            a.title,
            a.theme.name,
            a.get_state_display(),
            a.households_agreed,
            a.households_total,
            a.budget_total,
            a.submitted_at,
            a.updated_at,
        ]
        for a in applications
    )
    return xlsx_response(filename="applications.xlsx", sheet_title=_("Applications"), headers=headers, rows=rows)
