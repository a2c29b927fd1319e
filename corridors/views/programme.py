"""Staff pages for the street's programme set-up: programme years and the theme list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import add_errors
from common.permissions import require
from common.refusals import Refused
from corridors.forms.programme import ProgrammeYearForm, ReminderPolicyForm, ThemeForm
from corridors.models import ProgrammeYear, ReminderPolicy, Theme
from corridors.selectors import staff_streets_for_user, streets_for_user
from corridors.services import programme as services


def _years_for_staff(user):
    return ProgrammeYear.objects.filter(street__in=staff_streets_for_user(user)).select_related("street")


def _themes_for_staff(user):
    return Theme.objects.filter(street__in=staff_streets_for_user(user)).select_related("street")


@login_required
def programme_home(request):
    require(request.user, "corridors.manage_programme")
    years = ProgrammeYear.objects.annotate(application_count=Count("applications")).order_by("-year")
    themes = Theme.objects.annotate(application_count=Count("applications")).order_by("position", "pk")
    streets = (
        staff_streets_for_user(request.user)
        .select_related("reminder_policy")
        .prefetch_related(Prefetch("programme_years", queryset=years), Prefetch("themes", queryset=themes))
    )
    streets = list(streets)
    for street in streets:
        # Without a row of its own a street has the defaults.
        street.reminders = getattr(street, "reminder_policy", None) or ReminderPolicy(street=street)
    return render(request, "corridors/programme/home.html", {"streets": streets, "theme_form": ThemeForm()})


@login_required
def year_create(request):
    require(request.user, "corridors.manage_programme")
    streets = staff_streets_for_user(request.user)
    form = ProgrammeYearForm(request.POST or None, streets=streets)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        street = data.pop("street")
        try:
            year = services.programme_year_create(actor=request.user, street=street, **data)
        except (Refused, ValidationError) as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Programme year %(year)s saved.") % {"year": year.year})
            return redirect("programme:home")
    return render(request, "corridors/programme/year_form.html", {"form": form, "title": _("New programme year")})


@login_required
def year_edit(request, pk):
    year = get_object_or_404(_years_for_staff(request.user), pk=pk)
    form = ProgrammeYearForm(request.POST or None, instance=year, streets=None)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_year_update(programme_year=year, actor=request.user, **form.cleaned_data)
        except (Refused, ValidationError) as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Programme year %(year)s saved.") % {"year": year.year})
            return redirect("programme:home")
    title = _("Programme year %(year)s") % {"year": year.year}
    return render(request, "corridors/programme/year_form.html", {"form": form, "title": title, "object": year})


@login_required
@require_POST
def theme_add(request, street_pk):
    street = get_object_or_404(staff_streets_for_user(request.user), pk=street_pk)
    form = ThemeForm(request.POST)
    if form.is_valid():
        try:
            theme = services.theme_add(actor=request.user, street=street, name=form.cleaned_data["name"])
        except Refused as error:
            messages.error(request, error.reason)
        else:
            messages.success(request, _("Theme “%(name)s” added.") % {"name": theme.name})
    else:
        messages.error(request, _("Give the theme a name."))
    return redirect("programme:home")


@login_required
@require_POST
def theme_rename(request, pk):
    theme = get_object_or_404(_themes_for_staff(request.user), pk=pk)
    form = ThemeForm(request.POST)
    if form.is_valid():
        try:
            services.theme_rename(theme=theme, actor=request.user, name=form.cleaned_data["name"])
        except Refused as error:
            messages.error(request, error.reason)
        else:
            messages.success(request, _("Theme renamed."))
    else:
        messages.error(request, _("Give the theme a name."))
    return redirect("programme:home")


@login_required
@require_POST
def theme_toggle(request, pk):
    theme = get_object_or_404(_themes_for_staff(request.user), pk=pk)
    theme = services.theme_set_active(theme=theme, actor=request.user, is_active=not theme.is_active)
    if theme.is_active:
        messages.success(request, _("Theme “%(name)s” is offered again.") % {"name": theme.name})
    else:
        messages.success(
            request, _("Theme “%(name)s” is no longer offered to new applications.") % {"name": theme.name}
        )
    return redirect("programme:home")


@login_required
def reminder_settings(request, street_pk):
    """The street's reminder settings (ReminderPolicy): on or off, and the days each kind may wait."""
    # A street the reader sees but does not run (a district user's) is refused with the reason.
    get_object_or_404(streets_for_user(request.user), pk=street_pk)
    require(request.user, "corridors.manage_programme")
    street = get_object_or_404(staff_streets_for_user(request.user), pk=street_pk)
    policy = ReminderPolicy.objects.filter(street=street).first() or ReminderPolicy(street=street)
    form = ReminderPolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        try:
            services.reminder_policy_set(street=street, actor=request.user, **form.cleaned_data)
        except (Refused, ValidationError) as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Reminder settings of %(street)s saved.") % {"street": street})
            return redirect("programme:home")
    title = _("Reminders · %(street)s") % {"street": street}
    return render(
        request,
        "corridors/places/form.html",
        {"form": form, "title": title, "back": reverse("programme:home"), "object": None},
    )
