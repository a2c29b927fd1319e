"""Pages of a maintenance-fund campaign: the list, opening and editing it, its working group."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import add_errors
from common.listing import LIST_COUNT_LIMIT, paginate
from common.permissions import require
from common.refusals import Refused
from corridors.forms.street_filter import StreetYearFilterForm
from corridors.selectors import scope_of
from funds.forms.campaigns import CampaignForm, MemberForm
from funds.selectors import (
    buildings_managed_by,
    campaign_access,
    campaign_years,
    campaigns_for_user,
    can_open_campaigns,
    get_campaign_for_user,
    get_member_for_user,
)
from funds.services import campaigns as services
from funds.totals import campaign_collection, campaign_decision


def filtered_campaigns(request):
    """The user's campaigns by the street and year in the query string (the page and its export)."""
    campaigns = campaigns_for_user(request.user)
    years = campaign_years(campaigns)
    # The reader's street ids: the filter reads the streets' names only when it offers them.
    form = StreetYearFilterForm(request.GET or None, streets=scope_of(request.user).visible_streets, years=years)
    campaigns = form.apply(campaigns, street="building__compound__neighbourhood__street_id", year="created_at__year")
    return form, campaigns


# What the list's rows show (the building and compound names, the purpose, the cost and the gap).
_LISTED = (
    "purpose",
    "works_cost",
    "fund_balance",
    "reserve_share",
    "initial_fund",
    "building__name",
    "building__compound__name",
)


@login_required
def campaign_list(request):
    require(request.user, "funds.list_campaigns")
    form, campaigns = filtered_campaigns(request)
    return render(
        request,
        "funds/campaigns/list.html",
        {
            "page_obj": paginate(
                campaigns.select_related("building__compound").only(*_LISTED), request, count_limit=LIST_COUNT_LIMIT
            ),
            "can_open": can_open_campaigns(request.user),
            "filter_form": form,
        },
    )


@login_required
def campaign_create(request):
    require(request.user, "funds.open_campaign")
    buildings = buildings_managed_by(request.user)
    form = CampaignForm(request.POST or None, buildings=buildings)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(created_by=request.user, **form.cleaned_data)
        except (ValidationError, Refused) as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Campaign opened. Next, import the roll of units."))
            return redirect("funds:import", campaign.pk)
    return render(request, "funds/campaigns/form.html", {"form": form})


@login_required
def campaign_update(request, pk):
    campaign = get_campaign_for_user(request.user, pk)
    require(request.user, "funds.manage_campaign", campaign)
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.CAMPAIGN_FIELDS}
        campaign.refresh_from_db()
        try:
            services.campaign_update(campaign=campaign, actor=request.user, **fields)
        except (ValidationError, Refused) as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect(campaign)
    return render(request, "funds/campaigns/form.html", {"form": form, "campaign": campaign})


@login_required
def campaign_detail(request, pk):
    campaign = get_campaign_for_user(request.user, pk)
    access = campaign_access(request.user, campaign)
    return render(
        request,
        "funds/campaigns/detail.html",
        {
            "campaign": campaign,
            "decision": campaign_decision(campaign),
            "collection": campaign_collection(campaign),
            "members": campaign.members.select_related("user"),
            "access": access,
            "is_manager": access.manager,
            "member_form": MemberForm() if access.manager else None,
            "notice_published": campaign.notice.is_published,
        },
    )


@login_required
@require_POST
def member_add(request, pk):
    campaign = get_campaign_for_user(request.user, pk)
    require(request.user, "funds.manage_campaign", campaign)
    form = MemberForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.working_group_member_add(
                campaign=campaign,
                actor=request.user,
                name=data["name"],
                side=data["side"],
                is_leader=data["is_leader"],
                user=data["username"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except Refused as error:
            messages.error(request, error.reason)
        else:
            messages.success(request, _("Member added."))
    elif "username" in form.errors:
        messages.error(request, " ".join(form.errors["username"]))
    else:
        messages.error(request, _("Please give the member's name and side."))
    return redirect(campaign)


@login_required
@require_POST
def member_remove(request, pk):
    member = get_member_for_user(request.user, pk)
    require(request.user, "funds.manage_campaign", member.campaign)
    try:
        services.working_group_member_remove(member=member, actor=request.user)
    except Refused as error:
        messages.error(request, error.reason)
    else:
        messages.success(request, _("Member removed."))
    return redirect(member.campaign)
