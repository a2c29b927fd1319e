"""The signed-in home page: for each role a user holds, what they have to do next."""

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render

from corridors.models import Neighbourhood, Role
from corridors.selectors import groups_for_user, scope_of
from corridors.views.applications import home_context as application_home_context


@login_required
def home(request):
    scope = scope_of(request.user)
    context = {"scope": scope, "roles": scope.roles}
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
    sections = []
    for config in apps.get_app_configs():
        hook = getattr(config, "home_sections", None)
        if callable(hook):
            sections.extend(hook(user))
    return sections
