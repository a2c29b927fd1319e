"""The signed-in home page: for each role a user holds, what they have to do next."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render

from common.hooks import call_hooks_flat
from corridors.models import ApplicationTransition, Neighbourhood, Role
from corridors.selectors import applications_for_user, groups_for_user, scope_of, streets_for_user
from corridors.services.districts import first_run_steps
from corridors.workflows.application import State


@login_required
def home(request):
    scope = scope_of(request.user)
    context = {"scope": scope, "roles": scope.roles}
    if request.user.is_superuser:
        # A fresh install: the superuser is walked through district → street → staff.
        steps = first_run_steps()
        if not steps["done"]:
            context["first_run"] = steps
    if scope.staff_streets:
        groups = groups_for_user(request.user).filter(
            building__compound__neighbourhood__street_id__in=scope.staff_streets
        )
        context["staff"] = {
            "neighbourhoods": Neighbourhood.objects.filter(street_id__in=scope.staff_streets).annotate(
                group_count=Count("compounds__buildings__groups", distinct=True)
            ),
            "groups_without_leader": groups.exclude(role_assignments__role=Role.LEADER).order_by("pk")[:10],
        }
    if scope.viewer_streets:
        # A district (区) or city (市) user: their streets, read-only.
        context["overseen_streets"] = (
            streets_for_user(request.user)
            .filter(pk__in=scope.viewer_streets)
            .annotate(
                neighbourhood_count=Count("neighbourhoods", distinct=True),
                group_count=Count("neighbourhoods__compounds__buildings__groups", distinct=True),
            )
        )
    if scope.committee_neighbourhoods:
        context["committee_neighbourhoods"] = Neighbourhood.objects.filter(pk__in=scope.committee_neighbourhoods)
        context["committee_groups"] = (
            groups_for_user(request.user)
            .filter(building__compound__neighbourhood_id__in=scope.committee_neighbourhoods)
            .annotate(leaders=Count("role_assignments", filter=Q(role_assignments__role=Role.LEADER)))
        )
    if scope.led_groups:
        context["led_groups"] = (
            groups_for_user(request.user).filter(pk__in=scope.led_groups).annotate(photo_count=Count("photos"))
        )
    context.update(application_home_context(request.user))
    context["app_sections"] = app_home_sections(request.user)
    return render(request, "corridors/home.html", context)


def app_home_sections(user) -> list[tuple[str, dict]]:
    """Sections other apps add to the home page, as ``(template name, context)`` pairs.

    An app contributes by defining ``home_sections(user)`` on its AppConfig; corridors
    never imports funds or consultations (dependencies point one way).
    """
    return call_hooks_flat("home_sections", user)


def application_home_context(user) -> dict:
    """What each role has to do next about applications."""
    scope = scope_of(user)
    visible = applications_for_user(user)
    context = {}
    if scope.led_groups:
        groups = groups_for_user(user).filter(pk__in=scope.led_groups)
        latest = {}
        for application in visible.filter(group_id__in=scope.led_groups).order_by("created_at", "pk"):
            latest[application.group_id] = application  # the newest one per group wins
        returned = {
            t.application_id: t.note
            for t in ApplicationTransition.objects.filter(
                application__in=[a for a in latest.values() if a.state == State.RETURNED], to_state=State.RETURNED
            ).order_by("created_at", "pk")
        }
        rows = []
        for group in groups:
            application = latest.get(group.pk)
            reason = returned.get(application.pk) if application else None
            rows.append({"group": group, "application": application, "return_reason": reason})
        context["leader_applications"] = rows
    if scope.committee_neighbourhoods:
        waiting = visible.filter(
            group__building__compound__neighbourhood_id__in=scope.committee_neighbourhoods, state=State.SUBMITTED
        ).order_by("submitted_at", "pk")
        context["committee_to_endorse"] = waiting[:10]
        context["committee_to_endorse_count"] = waiting.count()
    if scope.staff_streets:
        waiting = visible.filter(
            group__building__compound__neighbourhood__street_id__in=scope.staff_streets, state=State.ENDORSED
        ).order_by("submitted_at", "pk")
        context["staff_to_approve"] = waiting[:10]
        context["staff_to_approve_count"] = waiting.count()
    return context
