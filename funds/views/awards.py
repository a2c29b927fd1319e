"""Pages of the warm-corridor awards: the list, an award with its history, its steps, the certificate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from common.listing import LIST_COUNT_LIMIT, paginate
from common.permissions import require
from common.refusals import Refused
from corridors.forms.street_filter import StreetYearFilterForm
from corridors.models import Role
from corridors.selectors import scope_of
from funds.forms.payouts import ProposeForm
from funds.forms.steps import ReasonForm
from funds.models import PayoutKind
from funds.selectors import award_roles, awards_for_user, get_award_for_user, programme_years_of
from funds.services import awards as services
from funds.workflows.award import AWARD


def filtered_awards(request):
    """The user's awards by the street and year in the query string (the page and its export)."""
    awards = awards_for_user(request.user)
    years = programme_years_of(awards)
    # The reader's street ids: the filter reads the streets' names only when it offers them.
    form = StreetYearFilterForm(request.GET or None, streets=scope_of(request.user).visible_streets, years=years)
    awards = form.apply(awards, street="programme_year__street_id", year="programme_year__year")
    return form, awards.order_by("-programme_year__year", "sequence")


# What the list's rows show, read with these columns only (the scoped queryset reads every
# column of seven tables: building that SQL cost more than the rows).
_LISTED = (
    "certificate_number",
    "state",
    "culture_fund_received",
    "programme_year__year",
    "group__name",
    "group__building__name",
    "group__building__compound__name",
    "group__building__compound__neighbourhood__name",
)


@login_required
def award_list(request):
    require(request.user, "funds.view_awards")
    form, awards = filtered_awards(request)
    awards = awards.select_related(None).select_related("programme_year", "group__building__compound__neighbourhood")
    return render(
        request,
        "funds/awards/list.html",
        {"page_obj": paginate(awards.only(*_LISTED), request, count_limit=LIST_COUNT_LIMIT), "filter_form": form},
    )


@login_required
def award_detail(request, pk):
    award = get_award_for_user(request.user, pk)
    roles = award_roles(request.user, award)
    staff = Role.STREET_STAFF in roles
    can_propose = request.user.has_perm("funds.propose_payout", award) and award.is_active
    context = {
        "award": award,
        "history": award.transitions.select_related("actor"),
        "payouts": award.payouts.select_related("proposed_by", "approved_by"),
        "ledger": award.ledger_entries.all()[:5],
        "is_staff": staff,
        "can_see_payouts": staff or Role.FINANCE in roles,
        "can_propose": can_propose,
        "is_leader": Role.LEADER in roles,
        "steps": [t for t in AWARD.available(award.state, roles) if t.sources],
        "propose_form": ProposeForm(initial={"kind": PayoutKind.CULTURE_FUND}) if can_propose else None,
    }
    return render(request, "funds/awards/detail.html", context)


STEPS = {
    "suspend": services.award_suspend,
    "reinstate": services.award_reinstate,
    "revoke": services.award_revoke,
}


@login_required
@require_POST
def award_status(request, pk, action):
    award = get_award_for_user(request.user, pk)
    if action not in STEPS:
        raise Http404
    require(request.user, "funds.change_award", award)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        award = STEPS[action](
            award=award,
            actor=request.user,
            reason=form.cleaned_data.get("reason", ""),
            expected_state=form.cleaned_data.get("state") or None,
        )
    except Refused as error:
        messages.error(request, error.reason)
    else:
        messages.success(request, _("The award is now “%(status)s”.") % {"status": award.get_state_display()})
        if award.cancelled_payouts:
            messages.warning(
                request,
                ngettext(
                    "%(count)s open payout was cancelled.",
                    "%(count)s open payouts were cancelled.",
                    len(award.cancelled_payouts),
                )
                % {"count": len(award.cancelled_payouts)},
            )
    return redirect(award)


@login_required
def certificate(request, pk):
    award = get_award_for_user(request.user, pk)
    return render(request, "funds/awards/certificate.html", {"award": award})
