"""Warm-corridor application pages: the leader's draft, the application page with its
timeline and steps, the committee's queue, the street's list, the printable form, the inbox.

Views parse the form, fetch through ``corridors.selectors`` and call one service; the
services decide and explain (``ApplicationError.reason`` is shown as it is).
"""

from decimal import Decimal

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.export import xlsx_response
from common.listing import paginate, sort_queryset
from corridors.forms.applications import (
    ApplicationFilterForm,
    ApplicationForm,
    BudgetItemForm,
    ProgressPhotoForm,
    SketchForm,
    StepForm,
)
from corridors.models import ApplicationTransition, BudgetItem, ProgrammeYear, Role, Theme
from corridors.selectors import (
    application_roles,
    applications_for_user,
    get_application_for_user,
    get_group_for_user,
    get_notification_for_user,
    groups_for_user,
    neighbourhoods_for_user,
    notifications_for_user,
    require,
    scope_of,
)
from corridors.services.applications import (
    ApplicationError,
    application_approve,
    application_budget_item_add,
    application_budget_item_remove,
    application_create,
    application_endorse,
    application_progress_photo_add,
    application_reject,
    application_request_inspection,
    application_return_by_committee,
    application_return_by_street,
    application_sketch_add,
    application_sketch_remove,
    application_start_creation,
    application_submit,
    application_update,
    application_withdraw,
    notification_mark_read,
)
from corridors.workflows.application import ACTIONS, CLOSED_STATES, State, actions_for

# The workflow table's actions, each carried out by its one service function.
STEP_SERVICES = {
    "submit": application_submit,
    "endorse": application_endorse,
    "return_by_committee": application_return_by_committee,
    "approve": application_approve,
    "return_by_street": application_return_by_street,
    "reject": application_reject,
    "withdraw": application_withdraw,
    "start_creation": application_start_creation,
    "request_inspection": application_request_inspection,
}

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

MONEY = DecimalField(max_digits=14, decimal_places=2)


def _with_budget_total(applications):
    # A subquery rather than a join + GROUP BY, so filters and search never multiply rows.
    total = (
        BudgetItem.objects.filter(application=OuterRef("pk")).values("application").annotate(s=Sum("total")).values("s")
    )
    return applications.annotate(budget_total=Coalesce(Subquery(total, output_field=MONEY), Value(Decimal("0.00"))))


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _latest_year(street_id):
    return ProgrammeYear.objects.filter(street_id=street_id).order_by("-year").first()


# --- The leader's draft --------------------------------------------------------------------


@login_required
def application_new(request, group_pk):
    group = get_group_for_user(request.user, group_pk)
    require(request.user, "corridors.start_application", group)
    street = group.building.compound.neighbourhood.street
    year = _latest_year(street.pk)
    if year is None:
        messages.error(request, _("The street office has not opened a programme year yet."))
        return redirect("home")
    live = applications_for_user(request.user).filter(group=group, programme_year=year).exclude(state__in=CLOSED_STATES)
    if existing := live.first():
        messages.info(request, _("This building group already has an application for %(year)s.") % {"year": year.year})
        return redirect(existing)
    form = ApplicationForm(request.POST or None, street=street, households=group.households)
    if request.method == "POST" and form.is_valid():
        try:
            application = application_create(actor=request.user, group=group, programme_year=year, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.reason)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Draft saved. Add the budget and sketches, then submit it."))
            return redirect("applications:edit", application.pk)
    return render(request, "corridors/applications/new.html", {"form": form, "group": group, "year": year})


def _edit_page(request, application, *, form=None, budget_form=None, sketch_form=None, status=200):
    group = application.group
    if form is None:
        latest = application.convention_versions.order_by("-number").first()
        form = ApplicationForm(
            street=group.building.compound.neighbourhood.street,
            households=group.households,
            initial={
                "theme": application.theme_id,
                "title": application.title,
                "plan": application.plan,
                "convention": latest.text if latest else "",
                "households_agreed": application.households_agreed,
            },
        )
    items = _budget(application)
    context = {
        "application": application,
        "form": form,
        "budget_form": budget_form or BudgetItemForm(),
        "sketch_form": sketch_form or SketchForm(),
        "sketches": application.sketches.all(),
        **items,
    }
    return render(request, "corridors/applications/edit.html", context, status=status)


def _can_edit(user, application) -> bool:
    # The role check as well as the rule: a superuser "has" every permission but leads no group.
    return user.has_perm("corridors.change_application", application) and Role.LEADER in application_roles(
        user, application
    )


def _editable_application(request, pk):
    application = get_application_for_user(request.user, pk)
    if not _can_edit(request.user, application):
        raise PermissionDenied
    return application


@login_required
def application_edit(request, pk):
    application = get_application_for_user(request.user, pk)
    if not _can_edit(request.user, application):
        if Role.LEADER in application_roles(request.user, application):
            messages.info(
                request,
                _("The application is “%(state)s” and can no longer be changed.")
                % {"state": application.get_state_display()},
            )
            return redirect(application)
        raise PermissionDenied
    if request.method != "POST":
        return _edit_page(request, application)
    group = application.group
    form = ApplicationForm(
        request.POST, street=group.building.compound.neighbourhood.street, households=group.households
    )
    if form.is_valid():
        try:
            application_update(
                application=application,
                actor=request.user,
                expected_state=request.POST.get("state") or None,
                **form.cleaned_data,
            )
        except ApplicationError as error:
            messages.error(request, error.reason)
            return redirect(application)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(application)
    return _edit_page(request, application, form=form, status=400)


@login_required
@require_POST
def budget_item_add(request, pk):
    application = _editable_application(request, pk)
    budget_form = BudgetItemForm(request.POST)
    if budget_form.is_valid():
        try:
            application_budget_item_add(application=application, actor=request.user, **budget_form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, error.reason)
        except ValidationError as error:
            _add_errors(budget_form, error)
            return _edit_page(request, application, budget_form=budget_form, status=400)
        return redirect("applications:edit", application.pk)
    return _edit_page(request, application, budget_form=budget_form, status=400)


@login_required
@require_POST
def budget_item_remove(request, pk, item_pk):
    application = _editable_application(request, pk)
    try:
        application_budget_item_remove(application=application, actor=request.user, item_id=item_pk)
    except ApplicationError as error:
        messages.error(request, error.reason)
    return redirect("applications:edit", application.pk)


@login_required
@require_POST
def sketch_add(request, pk):
    application = _editable_application(request, pk)
    sketch_form = SketchForm(request.POST, request.FILES)
    if sketch_form.is_valid():
        try:
            application_sketch_add(
                application=application,
                actor=request.user,
                image=sketch_form.cleaned_data["image"],
                alt_text=sketch_form.cleaned_data["alt_text"],
            )
        except ApplicationError as error:
            messages.error(request, error.reason)
        return redirect("applications:edit", application.pk)
    return _edit_page(request, application, sketch_form=sketch_form, status=400)


@login_required
@require_POST
def sketch_remove(request, pk, sketch_pk):
    application = _editable_application(request, pk)
    try:
        application_sketch_remove(application=application, actor=request.user, sketch_id=sketch_pk)
    except ApplicationError as error:
        messages.error(request, error.reason)
    return redirect("applications:edit", application.pk)


# --- The application page and its steps ------------------------------------------------------


def _budget(application) -> dict:
    items = list(application.budget_items.all())
    return {"budget_items": items, "budget_total": sum((i.total for i in items), Decimal("0.00"))}


def application_sections(application, user) -> list[tuple[str, dict]]:
    """Sections other apps add to the application page, as ``(template name, context)`` pairs.

    An app contributes by defining ``application_sections(application, user)`` on its
    AppConfig (funds: the acceptance checks, the award, its payouts and ledger); corridors
    never imports funds or consultations (dependencies point one way).
    """
    sections = []
    for config in apps.get_app_configs():
        hook = getattr(config, "application_sections", None)
        if callable(hook):
            sections.extend(hook(application, user))
    return sections


def _can_post_progress(application, roles) -> bool:
    return application.takes_progress_photos and Role.LEADER in roles


def _page_context(request, application, *, progress_form=None) -> dict:
    roles = application_roles(request.user, application)
    can_post_progress = _can_post_progress(application, roles)
    return {
        "application": application,
        "roles": roles,
        "steps": actions_for(application.state, roles),
        "can_edit": _can_edit(request.user, application),
        "transitions": application.transitions.select_related("actor"),
        "conventions": application.convention_versions.select_related("author"),
        "sketches": application.sketches.all(),
        "progress_photos": application.progress_photos.all(),
        "progress_form": (progress_form or ProgressPhotoForm()) if can_post_progress else None,
        # Street staff who just approved go back to the next one waiting.
        "back_to_endorsed": application.state == State.APPROVED and Role.STREET_STAFF in roles,
        **_budget(application),
    }


@login_required
def application_detail(request, pk):
    application = get_application_for_user(request.user, pk)
    context = _page_context(request, application)
    context["app_sections"] = application_sections(application, request.user)
    return render(request, "corridors/applications/detail.html", context)


@login_required
@require_POST
def progress_photo_add(request, pk):
    application = get_application_for_user(request.user, pk)
    roles = application_roles(request.user, application)
    if not _can_post_progress(application, roles):
        if Role.LEADER in roles:
            messages.error(
                request,
                _("Progress photos are posted while the corridor is being made; the application is “%(state)s”.")
                % {"state": application.get_state_display()},
            )
            return redirect(application)
        raise PermissionDenied
    form = ProgressPhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            application_progress_photo_add(
                application=application,
                actor=request.user,
                image=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
            )
        except ApplicationError as error:
            messages.error(request, error.reason)
        else:
            messages.success(request, _("Progress photo posted."))
        return redirect(application)
    context = _page_context(request, application, progress_form=form)
    context["app_sections"] = application_sections(application, request.user)
    return render(request, "corridors/applications/detail.html", context, status=400)


@login_required
def application_print(request, pk):
    application = get_application_for_user(request.user, pk)
    return render(request, "corridors/applications/print.html", _page_context(request, application))


@login_required
@require_POST
def application_step(request, pk, action):
    application = get_application_for_user(request.user, pk)
    if action not in ACTIONS:
        raise Http404
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; nothing was done."))
        return redirect(application)
    try:
        done = STEP_SERVICES[action](
            application=application,
            actor=request.user,
            note=form.cleaned_data["note"],
            expected_state=form.cleaned_data["state"],
        )
    except ApplicationError as error:
        messages.error(request, error.reason)
    else:
        messages.success(
            request,
            _("Done: %(action)s. The application is now “%(state)s”.")
            % {"action": ACTIONS[action].label, "state": done.get_state_display()},
        )
    return redirect(application)


# --- Queues and lists ------------------------------------------------------------------------


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
            group__building__compound__neighbourhood__street_id__in=scope.staff_streets
        )
    )
    years = (
        ProgrammeYear.objects.filter(street_id__in=scope.staff_streets)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    form = ApplicationFilterForm(
        request.GET or None,
        neighbourhoods=neighbourhoods_for_user(request.user).filter(street_id__in=scope.staff_streets),
        themes=Theme.objects.filter(street_id__in=scope.staff_streets),
        years=list(years),
    )
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
            applications = applications.filter(
                Q(title__icontains=q)
                | Q(group__name__icontains=q)
                | Q(group__building__name__icontains=q)
                | Q(group__building__compound__name__icontains=q)
            )
    applications, sort = sort_queryset(applications, request, SORTS, "-updated")
    return form, applications, sort


@login_required
def application_list(request):
    require(request.user, "corridors.review_applications")
    form, applications, sort = _street_applications(request)
    return render(
        request,
        "corridors/applications/list.html",
        {"form": form, "page_obj": paginate(applications, request), "sort": sort},
    )


@login_required
def application_export(request):
    require(request.user, "corridors.review_applications")
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


# --- Inbox ---------------------------------------------------------------------------------


@login_required
def inbox(request):
    notifications = notifications_for_user(request.user).select_related("actor", "application")
    return render(request, "corridors/applications/inbox.html", {"page_obj": paginate(notifications, request)})


@login_required
@require_POST
def inbox_open(request, pk):
    notification = get_notification_for_user(request.user, pk)
    notification_mark_read(recipient=request.user, notification_id=notification.pk)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("applications:inbox")


@login_required
@require_POST
def inbox_read_all(request):
    notification_mark_read(recipient=request.user)
    return redirect("applications:inbox")


# --- The home page's application section -------------------------------------------------


def home_context(user) -> dict:
    """What each role has to do next about applications (used by ``corridors.views.home``)."""
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


urlpatterns = [
    path("", application_list, name="list"),
    path("export.xlsx", application_export, name="export"),
    path("queue/", committee_queue, name="queue"),
    path("new/<int:group_pk>/", application_new, name="new"),
    path("<int:pk>/", application_detail, name="detail"),
    path("<int:pk>/edit/", application_edit, name="edit"),
    path("<int:pk>/print/", application_print, name="print"),
    path("<int:pk>/budget/", budget_item_add, name="budget_add"),
    path("<int:pk>/budget/<int:item_pk>/remove/", budget_item_remove, name="budget_remove"),
    path("<int:pk>/sketches/", sketch_add, name="sketch_add"),
    path("<int:pk>/sketches/<int:sketch_pk>/remove/", sketch_remove, name="sketch_remove"),
    path("<int:pk>/progress-photos/", progress_photo_add, name="progress_photo_add"),
    path("<int:pk>/step/<slug:action>/", application_step, name="step"),
    path("inbox/", inbox, name="inbox"),
    path("inbox/<int:pk>/open/", inbox_open, name="inbox_open"),
    path("inbox/read-all/", inbox_read_all, name="inbox_read_all"),
]
