"""Who may see what in stall consultations, decided once, here.

An officer sees the requests and stalls of their department(s); a representative only the
requests they brought and their own tickets; street staff everything in their street; the
residents' committee reads the requests of its neighbourhood (no steps, and only the files
it uploaded itself: the filing form promises residents that only the department and the
representative open them). District (区) and city (市) users read their streets' requests,
conferences, reports and stalls (``scope.viewer_streets``): they hold no role on any of them,
so they take no step and open no resident's file.
Anything outside the user's scope is simply not found (404), so a guessed id reveals
nothing. The steps on a visible request or ticket are decided by the workflow tables in
``consultations.workflows`` with the roles from ``request_roles`` and ``stall_roles``.
"""

from django.db.models import F, Max, Min, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from common.search import AnyOf
from consultations.models import (
    Attachment,
    Category,
    Conference,
    ConsultationRequest,
    RepresentativeTerm,
    Stall,
    Ticket,
)
from consultations.workflows.request import COMMITTEE, OFFICER, REPRESENTATIVE, STREET
from corridors.models import Department, Neighbourhood, Role, RoleAssignment, User
from corridors.selectors import scope_of

# The roles on a request that may add and open its files.
FILE_ROLES = frozenset({REPRESENTATIVE, OFFICER, STREET})


def can_use_consultations(user) -> bool:
    scope = scope_of(user)
    return bool(
        scope.staff_streets
        or scope.departments
        or scope.representative_neighbourhoods
        or scope.committee_neighbourhoods
        or scope.viewer_streets
    )


def reads_streets(user) -> bool:
    """Street staff and district or city users: they read every request of their streets."""
    scope = scope_of(user)
    return bool(scope.staff_streets or scope.viewer_streets)


def reads_conferences(user) -> bool:
    """Those who run stalls, and district or city users (who read conferences and reports)."""
    return runs_stalls(user) or bool(scope_of(user).viewer_streets)


def is_committee(user) -> bool:
    return bool(scope_of(user).committee_neighbourhoods)


def is_representative(user) -> bool:
    return bool(scope_of(user).representative_neighbourhoods)


def runs_stalls(user) -> bool:
    """Street staff and department officers: they run stalls and follow requests up."""
    scope = scope_of(user)
    return bool(scope.staff_streets or scope.departments)


def department_streets(user) -> set[int]:
    """The streets of the user's departments (officers see their street's conferences)."""
    departments = scope_of(user).departments
    if not departments:
        return set()
    return set(Department.objects.filter(pk__in=departments).values_list("street_id", flat=True))


# --- Requests ------------------------------------------------------------------------


def requests_for_user(user):
    scope = scope_of(user)
    if not user.is_authenticated:
        return ConsultationRequest.objects.none()
    return ConsultationRequest.objects.filter(
        Q(representative_id=user.pk, neighbourhood_id__in=scope.representative_neighbourhoods)
        | Q(department_id__in=scope.departments)
        | Q(neighbourhood__street_id__in=scope.visible_streets)
        | Q(neighbourhood_id__in=scope.committee_neighbourhoods)
    ).select_related(
        "representative",
        "neighbourhood",
        "compound",
        "building",
        "category",
        "department",
        "conference",
        "assigned_officer",
    )


def my_requests_for_user(user):
    """The requests the user brought as a representative."""
    return requests_for_user(user).filter(representative_id=user.pk)


def department_requests_for_user(user):
    """The requests a user answers for: their departments' (officer) or their street's (staff)."""
    scope = scope_of(user)
    return requests_for_user(user).filter(
        Q(department_id__in=scope.departments) | Q(neighbourhood__street_id__in=scope.staff_streets)
    )


def street_requests_for_user(user):
    """Every request of the streets the user reads: staff, and district or city users (read-only)."""
    return requests_for_user(user).filter(neighbourhood__street_id__in=scope_of(user).visible_streets)


def street_request_years(user) -> list[int]:
    """The years from the first request of the user's streets to the last (local time), for the
    overview's year filter: ``MIN`` and ``MAX`` of ``created_at`` over the request table alone
    (the neighbourhoods by key, not joined), which PostgreSQL answers by reading one entry at
    each end of ``request_created_order``; ``dates("created_at", "year")`` truncated and sorted
    every request instead (100-175 ms for a district's 50,000)."""
    streets = scope_of(user).visible_streets
    if not streets:
        return []
    # Not a join and not IN (subquery), which the planner would turn into one: an array of keys.
    neighbourhoods = Neighbourhood.objects.filter(street_id__in=sorted(streets)).order_by().values("pk")
    span = ConsultationRequest.objects.filter(AnyOf(F("neighbourhood_id"), neighbourhoods)).aggregate(
        first=Min("created_at"), last=Max("created_at")
    )
    if span["first"] is None:
        return []
    return list(range(timezone.localtime(span["first"]).year, timezone.localtime(span["last"]).year + 1))


def committee_requests_for_user(user):
    """The requests of the neighbourhoods whose residents' committee the user serves on."""
    return requests_for_user(user).filter(neighbourhood_id__in=scope_of(user).committee_neighbourhoods)


def get_request_for_user(user, pk) -> ConsultationRequest:
    return get_object_or_404(requests_for_user(user), pk=pk)


def request_roles(user, request: ConsultationRequest) -> set[str]:
    """The workflow roles the user holds *on this request*."""
    scope = scope_of(user)
    roles: set[str] = set()
    if request.representative_id == user.pk and request.neighbourhood_id in scope.representative_neighbourhoods:
        roles.add(REPRESENTATIVE)
    if request.department_id in scope.departments:
        roles.add(OFFICER)
    if request.neighbourhood.street_id in scope.staff_streets:
        roles.add(STREET)
    if request.neighbourhood_id in scope.committee_neighbourhoods:
        roles.add(COMMITTEE)
    return roles


def attachments_for_user(user, request: ConsultationRequest):
    """The files of a visible request the user may open."""
    if request_roles(user, request) & FILE_ROLES:
        return request.attachments.all()
    return request.attachments.filter(uploaded_by_id=user.pk)


def get_attachment_for_user(user, pk) -> Attachment:
    attachment = get_object_or_404(Attachment.objects.select_related("request"), pk=pk)
    # Not visible → not found, the same answer as a wrong id.
    request = get_request_for_user(user, attachment.request_id)
    return get_object_or_404(attachments_for_user(user, request), pk=pk)


# --- Categories and terms (street staff) ---------------------------------------------------


def categories_for_user(user):
    return Category.objects.filter(street_id__in=scope_of(user).staff_streets).select_related("street")


def get_category_for_user(user, pk) -> Category:
    return get_object_or_404(categories_for_user(user), pk=pk)


def current_terms(user_ids, neighbourhood_ids=None):
    """The terms being served today by these representatives (for their pages)."""
    terms = RepresentativeTerm.objects.current().filter(representative_id__in=user_ids).select_related("neighbourhood")
    if neighbourhood_ids is not None:
        terms = terms.filter(neighbourhood_id__in=neighbourhood_ids)
    return terms


def terms_for_user(user):
    return RepresentativeTerm.objects.filter(neighbourhood__street_id__in=scope_of(user).staff_streets).select_related(
        "representative", "neighbourhood"
    )


def representatives_of(street_id):
    """The active representatives of a street, for the stall's check-in and walk-in forms."""
    return (
        User.objects.filter(is_active=True, roles__role=Role.REPRESENTATIVE, roles__street_id=street_id)
        .distinct()
        .order_by("full_name", "username")
    )


def representative_assignments_for_user(user):
    """The representatives of the user's streets (street staff), with their neighbourhood."""
    return (
        RoleAssignment.objects.filter(role=Role.REPRESENTATIVE, street_id__in=scope_of(user).staff_streets)
        .select_related("user", "neighbourhood")
        .order_by("neighbourhood__name", "user__full_name", "pk")
    )


# --- Conferences, stalls, tickets -----------------------------------------------------


def conferences_for_user(user):
    streets = set(scope_of(user).visible_streets) | department_streets(user)
    return Conference.objects.filter(street_id__in=streets).select_related("street")


def get_conference_for_user(user, pk) -> Conference:
    return get_object_or_404(conferences_for_user(user), pk=pk)


def stalls_for_user(user):
    scope = scope_of(user)
    return Stall.objects.filter(
        Q(department_id__in=scope.departments) | Q(conference__street_id__in=scope.visible_streets)
    ).select_related("conference__street", "department")


def get_stall_for_user(user, pk) -> Stall:
    return get_object_or_404(stalls_for_user(user), pk=pk)


def stall_roles(user, stall: Stall) -> set[str]:
    """The roles the user holds *at this stall* (and on its tickets): its department's officer, its street's staff."""
    scope = scope_of(user)
    roles: set[str] = set()
    if stall.department_id in scope.departments:
        roles.add(OFFICER)
    if stall.conference.street_id in scope.staff_streets:
        roles.add(STREET)
    return roles


def can_run_stall(user, stall: Stall) -> bool:
    return bool(stall_roles(user, stall))


def tickets_for_stall_user(user):
    """Tickets at the stalls the user runs (or reads, as a district or city user: no step is theirs)."""
    return Ticket.objects.filter(stall__in=stalls_for_user(user)).select_related(
        "stall__conference", "stall__department", "representative", "request"
    )


def get_ticket_for_user(user, pk) -> Ticket:
    return get_object_or_404(tickets_for_stall_user(user), pk=pk)


def my_tickets(user):
    return Ticket.objects.filter(representative_id=user.pk).select_related("stall__conference", "stall__department")
