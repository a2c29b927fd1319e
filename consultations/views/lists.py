"""The department's follow-ups, the street's overview (filter, sort, paginate, .xlsx) and the
residents' committee's read-only list of its neighbourhood's requests. Overdue items stand out
(red rows, a badge, a count at the top) on all three.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.loader import get_template
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from common.export import xlsx_response
from common.http import address_maker
from common.listing import Row, paginate, sort_queryset
from common.masking import mask_name
from common.permissions import require
from common.search import search_filter
from consultations.forms.lists import RequestFilterForm, StateFilterForm
from consultations.models import Category, Conference
from consultations.selectors import (
    committee_requests_for_user,
    requests_for_user,
    street_request_years,
    street_requests_for_user,
)
from consultations.workflows.request import OPEN_STATES, RequestState
from corridors.forms.street_filter import add_street_field, add_year_field, filter_by_street
from corridors.fragments import cached
from corridors.models import Building, Compound, Department, Neighbourhood, User
from corridors.selectors import scope_of

SORTS = {
    "filed": "created_at",
    "updated": "updated_at",
    "due": "due_date",
    "state": "state",
    "category": "category__position",
    "department": "department__name",
    "compound": "compound__name",
    "conference": "conference__date",
    "households": "households",
}

# The columns of a person's own list (follow-ups, my requests), as ``request_head.html`` links them.
PERSONAL_SORTS = {
    "filed": "created_at",
    "updated": "updated_at",
    "compound": "compound__name",
    "category": "category__position",
    "representative": "representative__full_name",
    "state": "state",
    "due": "due_date",
}
# The department's work: what is being followed up or waits for the department or the representative.
FOLLOW_UP_LIST_STATES = (*OPEN_STATES, RequestState.RESOLVED)


# What the request table shows, fetched by key for the page's rows (one small query each)
# instead of joined: requests_for_user's nine-table join took 42-65 ms (and up to 300 ms on a
# busy machine) just to plan at district scale, more than running it; the page query now joins
# only what its filter and sort need and uses the (created_at DESC, id) index.
TABLE_RELATED = ("representative", "compound", "building", "category", "department", "conference")
# Lists count at most this many requests; beyond it they say "more than" (common.listing).
COUNT_LIMIT = 5000


def _table_page(requests, request, related=TABLE_RELATED):
    return paginate(requests.select_related(None).prefetch_related(*related), request, count_limit=COUNT_LIMIT)


# What request_table.html shows of a request, read as plain values; the names come by key.
TABLE_FIELDS = (
    "pk",
    "created_at",
    "title",
    "state",
    "due_date",
    "overdue",
    "representative_id",
    "compound_id",
    "building_id",
    "category_id",
    "department_id",
    "conference_id",
)


def _names(model, keys, known=None) -> dict:
    """{key: name} of ``model`` for ``keys``: from ``known`` (the filter's own lists), the rest
    in one query (none when nothing is missing)."""
    known = known or {}
    missing = {key for key in keys if key is not None and key not in known}
    if not missing:
        return known
    return {**known, **dict(model.objects.filter(pk__in=missing).order_by().values_list("pk", "name"))}


def _request_table_page(requests, request, form, *, representatives=False):
    """The request table's page (overview, neighbourhood list) as plain values with what each
    cell shows: category, department and conference names from the filter's lists (read for
    its selects anyway), compound and building names in one small query each, the
    representatives' masked names only where the table shows them. Model instances of six
    related rows and a ``reverse()`` a row cost more than these queries
    (tests/consultations/test_request_table_rows.py)."""
    page = paginate(requests.select_related(None).values(*TABLE_FIELDS), request, count_limit=COUNT_LIMIT)
    rows = [Row(row) for row in page.object_list]
    column = lambda name: {row[name] for row in rows}  # noqa: E731
    compounds = _names(Compound, column("compound_id"))
    buildings = _names(Building, column("building_id"))
    categories = _names(Category, column("category_id"), form.names["category"]())
    departments = _names(Department, column("department_id"), form.names["department"]())
    conferences = _names(Conference, column("conference_id"), form.names["conference"]())
    people = {}
    if representatives and rows:
        people = {
            pk: mask_name(full_name or username)
            for pk, full_name, username in User.objects.filter(pk__in=column("representative_id"))
            .order_by()
            .values_list("pk", "full_name", "username")
        }
    address = address_maker("consultations:request")
    labels = dict(RequestState.choices)
    for row in rows:
        row["url"] = address(row["pk"])
        row["is_overdue"] = row["overdue"]
        row["get_state_display"] = labels.get(row["state"], row["state"])
        row["filed"] = formats.date_format(timezone.localtime(row["created_at"]), "DATE_FORMAT")
        row["due"] = formats.date_format(row["due_date"], "DATE_FORMAT") if row["due_date"] else ""
        row["compound_name"] = compounds.get(row["compound_id"], "")
        row["building_name"] = buildings.get(row["building_id"], "")
        row["category_name"] = categories.get(row["category_id"], "")
        row["department_name"] = departments.get(row["department_id"], "")
        row["conference_name"] = conferences.get(row["conference_id"], "")
        row["representative_name"] = people.get(row["representative_id"], "")
    page.object_list = rows
    return page


# What the follow-ups' rows show (no origin column: no conference; the department is the reader's).
FOLLOW_UP_RELATED = ("representative", "compound", "building", "category")


def _follow_up_rows(page) -> list:
    """The page's rows (``request_rows.html``, one request each), from the fragment cache
    (``corridors.fragments``) under everything a row shows; the overdue mark is part of it,
    so a row turns red on the day it falls due."""
    template = get_template("consultations/requests/includes/request_rows.html")

    def stamp(r):
        building = r.building.name if r.building else None
        place = (r.compound.name, building, r.category.name, r.representative.masked_name)
        return (r.pk, r.title, *place, r.state, r.is_overdue, r.due_date)

    def render(r):
        return template.render({"requests": [r], "show_representative": True})

    return cached("follow-up-row", page, stamp, render)


def personal_list(request, requests, *, default_sort: str, states=None, related=TABLE_RELATED) -> dict:
    """``requests`` filtered by state and overdue, sorted and paginated as the query string says."""
    form = StateFilterForm(request.GET or None, states=states)
    requests = requests.with_overdue()
    if form.is_valid():
        if form.cleaned_data["state"]:
            requests = requests.filter(state=form.cleaned_data["state"])
        if form.cleaned_data["overdue"]:
            requests = requests.overdue()
    requests, sort = sort_queryset(requests, request, PERSONAL_SORTS, default_sort)
    return {"filter_form": form, "page_obj": _table_page(requests, request, related), "sort": sort}


@login_required
def follow_ups(request):
    """An officer's department: new requests to answer and follow-ups, by due date (overdue first)."""
    require(request.user, "consultations.follow_up")
    scope = scope_of(request.user)
    if not scope.departments:
        return redirect("consultations:overview")
    mine = requests_for_user(request.user).filter(department_id__in=scope.departments)
    active = mine.filter(state__in=FOLLOW_UP_LIST_STATES)
    listed = personal_list(request, active, default_sort="due", states=FOLLOW_UP_LIST_STATES, related=FOLLOW_UP_RELATED)
    return render(
        request,
        "consultations/lists/follow_ups.html",
        {**listed, "rows": _follow_up_rows(listed["page_obj"]), "overdue_count": mine.overdue().count()},
    )


def _street_requests(request):
    """The street overview as filtered, searched and sorted by the query string: the staff's
    street(s), and every street of a district or city user (read-only), with a street and year
    filter when there is more than one."""
    scope = scope_of(request.user)
    requests = street_requests_for_user(request.user)
    return _filtered(
        request,
        requests,
        scope.visible_streets,
        across=scope.visible_streets,
        years=street_request_years(request.user),
    )


def _filtered(request, requests, streets, *, across=None, years=None):
    """``requests`` as filtered, searched and sorted by the query string (overdue annotated)."""
    requests = requests.with_overdue()
    form = RequestFilterForm(request.GET or None, streets=streets)
    if across is not None:
        add_street_field(form, across)
        add_year_field(form, years or [])
        requests = filter_by_street(requests, form, "neighbourhood__street_id")
    if form.is_valid():
        data = form.cleaned_data
        if data.get("year"):
            requests = requests.filter(created_at__year=data["year"])
        for name in ("state", "department", "category", "conference"):
            if data[name]:
                requests = requests.filter(**{name: data[name]})
        if data["overdue"]:
            requests = requests.overdue()
        if q := data["q"].strip():
            requests = search_filter(requests, q)
    requests, sort = sort_queryset(requests, request, SORTS, "-filed")
    return form, requests, sort


@login_required
def overview(request):
    require(request.user, "consultations.view_overview")
    form, requests, sort = _street_requests(request)
    street = filter_by_street(street_requests_for_user(request.user), form, "neighbourhood__street_id")
    return render(
        request,
        "consultations/lists/overview.html",
        {
            "form": form,
            "page_obj": _request_table_page(requests, request, form),
            "sort": sort,
            "overdue_count": street.overdue().count(),
        },
    )


@login_required
def neighbourhood(request):
    """The residents' committee: its neighbourhood's requests and their state, read-only."""
    require(request.user, "consultations.view_neighbourhood")
    neighbourhoods = Neighbourhood.objects.filter(pk__in=scope_of(request.user).committee_neighbourhoods)
    streets = set(neighbourhoods.values_list("street_id", flat=True))
    mine = committee_requests_for_user(request.user)
    form, requests, sort = _filtered(request, mine, streets)
    return render(
        request,
        "consultations/lists/neighbourhood.html",
        {
            "form": form,
            "page_obj": _request_table_page(requests, request, form, representatives=True),
            "sort": sort,
            "overdue_count": mine.overdue().count(),
            "neighbourhoods": neighbourhoods.order_by("name"),
        },
    )


@login_required
def overview_export(request):
    require(request.user, "consultations.view_overview")
    _form, requests, _sort = _street_requests(request)
    headers = [
        _("Number"),
        _("Filed"),
        _("Conference"),
        pgettext("request", "Channel"),
        _("Neighbourhood"),
        _("Compound"),
        _("Building"),
        _("Households"),
        _("Category"),
        _("Summary"),
        _("Department"),
        _("State"),
        _("Due date"),
        _("Overdue"),
        _("Officer"),
        _("Resolved"),
        _("Response"),
    ]
    rows = (
        [
            r.pk,
            r.created_at,
            r.conference.name if r.conference else "",
            r.get_channel_display(),
            r.neighbourhood.name,
            r.compound.name,
            r.building.name if r.building else "",
            r.households,
            r.category.name,
            r.title,
            r.department.name,
            r.get_state_display(),
            r.due_date,
            _("yes") if r.is_overdue else "",
            str(r.assigned_officer or ""),
            r.resolved_at,
            r.resolution or r.decline_reason,
        ]
        for r in requests.iterator(chunk_size=500)
    )
    return xlsx_response(
        filename=f"requests-{timezone.localdate().isoformat()}.xlsx",
        sheet_title=_("Requests"),
        headers=headers,
        rows=rows,
    )
