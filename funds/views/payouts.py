"""Pages of the payouts (street staff and finance approvers): the list and its export, a payout
and its steps, proposing, receipts, the voucher, and the budget view."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Case, Q, Sum, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from common.export import xlsx_response
from common.forms import add_errors
from common.listing import LIST_COUNT_LIMIT, paginate
from common.permissions import require
from common.refusals import Refused
from common.uploads import serve_private_file
from corridors.forms.street_filter import add_street_field, filter_by_street
from corridors.models import Neighbourhood, ProgrammeYear, Role, RoleAssignment
from corridors.selectors import scope_of
from funds.forms.payouts import MarkPaidForm, PayoutFilterForm, ProposeForm, ReceiptAddForm
from funds.forms.steps import ReasonForm
from funds.models import MoneyEvent, Payout, PayoutKind, PayoutState
from funds.selectors import (
    get_award_for_user,
    get_payout_for_user,
    get_receipt_for_user,
    payout_roles,
    payouts_for_user,
)
from funds.services import payouts as services
from funds.workflows.payout import DEAD_STATES, FOUR_EYES, PAYOUT

# --- Payouts -----------------------------------------------------------------------------


def _years_for(user):
    scope = scope_of(user)
    return ProgrammeYear.objects.filter(
        street_id__in=scope.staff_streets | scope.finance_streets | scope.viewer_streets
    ).select_related("street")


def _filtered_payouts(request):
    require(request.user, "funds.view_payouts")
    years = list(_years_for(request.user).order_by("-year").values_list("year", flat=True).distinct())
    form = PayoutFilterForm(request.GET or None, years=years)
    add_street_field(form, scope_of(request.user).visible_streets)
    payouts = filter_by_street(
        payouts_for_user(request.user).select_related("approved_by"), form, "award__programme_year__street_id"
    )
    if form.is_valid():
        if form.cleaned_data["state"]:
            payouts = payouts.filter(state=form.cleaned_data["state"])
        if form.cleaned_data["year"]:
            payouts = payouts.filter(award__programme_year__year=form.cleaned_data["year"])
    return form, payouts


# What the list's rows show, read with these columns only (the scoped queryset reads every
# column of eight tables: building that SQL cost more than the rows).
_LISTED = (
    "kind",
    "amount",
    "state",
    "proposed_at",
    "award__group__name",
    "award__group__building__name",
    "award__group__building__compound__name",
    "award__group__building__compound__neighbourhood__name",
    "proposed_by__full_name",
    "proposed_by__username",
    "approved_by__full_name",
    "approved_by__username",
)


@login_required
def payout_list(request):
    form, payouts = _filtered_payouts(request)
    # What waits for someone comes first: proposed, then approved, then the rest.
    rank = Case(When(state=PayoutState.PROPOSED, then=0), When(state=PayoutState.APPROVED, then=1), default=2)
    payouts = payouts.select_related(None).select_related(
        "award__group__building__compound__neighbourhood", "proposed_by", "approved_by"
    )
    page_obj = paginate(
        payouts.only(*_LISTED).annotate(rank=rank).order_by("rank", "-proposed_at", "-pk"),
        request,
        count_limit=LIST_COUNT_LIMIT,
    )
    return render(request, "funds/payouts/list.html", {"form": form, "page_obj": page_obj})


@login_required
def payout_export(request):
    form, payouts = _filtered_payouts(request)
    rows = (
        (
            p.pk,
            p.award.programme_year.year,
            p.award.certificate_number,
            p.award.group.building.compound.neighbourhood.name,
            str(p.award.group),
            p.get_kind_display(),
            p.amount,
            p.get_state_display(),
            str(p.proposed_by),
            p.proposed_at,
            str(p.approved_by or ""),
            p.approved_at,
            p.paid_on,
            p.paid_reference,
            p.reason,
            p.award.programme_year.street.name,
        )
        for p in payouts.select_related("award__programme_year__street").order_by("pk")
    )
    headers = [
        _("No."),
        _("Year"),
        _("Certificate number"),
        _("Neighbourhood"),
        _("Building group"),
        _("Kind"),
        _("Amount"),
        _("State"),
        _("Proposed by"),
        _("Proposed at"),
        _("Approved by"),
        _("Approved at"),
        pgettext("payout", "Paid on"),
        _("Payment reference"),
        _("Reason"),
        _("Street"),
    ]
    return xlsx_response(filename="payouts.xlsx", sheet_title=_("Payouts"), headers=headers, rows=rows)


def payout_steps(user, payout: Payout) -> set[str]:
    """The steps this user may take on this payout now: the table, less four eyes and receipts
    on anything but a renovation payout (what the page offers; the services decide again)."""
    roles = payout_roles(user, payout)
    steps = {t.name for t in PAYOUT.available(payout.state, roles)}
    if payout.proposed_by_id == user.pk:
        steps -= set(FOUR_EYES)
    if payout.kind != PayoutKind.RENOVATION:
        steps.discard("receipts")
    return steps


def _payout_context(request, payout: Payout, *, receipt_form=None, paid_form=None) -> dict:
    steps = payout_steps(request.user, payout)
    roles = payout_roles(request.user, payout)
    return {
        "payout": payout,
        "award": payout.award,
        "receipts": payout.receipts.select_related("uploaded_by"),
        "receipts_total": services.receipts_total(payout) if payout.kind == PayoutKind.RENOVATION else None,
        "receipt_form": (receipt_form or ReceiptAddForm()) if "receipts" in steps else None,
        "history": payout.transitions.select_related("actor"),
        "events": payout_events(payout),
        "can_decide": "approve" in steps,
        "own_proposal": payout.proposed_by_id == request.user.pk,
        "is_finance": Role.FINANCE in roles,
        "can_pay": "pay" in steps,
        "can_cancel": "cancel" in steps,
        "paid_form": paid_form or MarkPaidForm(),
    }


def payout_events(payout: Payout):
    """The payout's lines of the money log, oldest first."""
    return (
        MoneyEvent.objects.filter(subject_type="funds.payout", subject_id=payout.pk)
        .select_related("actor")
        .order_by("created_at", "pk")
    )


@login_required
def payout_detail(request, pk):
    payout = get_payout_for_user(request.user, pk)
    return render(request, "funds/payouts/detail.html", _payout_context(request, payout))


@login_required
def payout_voucher(request, pk):
    payout = get_payout_for_user(request.user, pk)
    return render(request, "funds/payouts/voucher.html", _payout_context(request, payout))


@login_required
def payout_propose(request, award_pk):
    award = get_award_for_user(request.user, award_pk)
    require(request.user, "funds.propose_payout", award)
    culture_fund_taken = award.payouts.filter(kind=PayoutKind.CULTURE_FUND).exclude(state__in=DEAD_STATES).exists()
    form = ProposeForm(request.POST or None, request.FILES or None, culture_fund_taken=culture_fund_taken)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payout = services.payout_propose(
                award=award,
                actor=request.user,
                kind=data["kind"],
                amount=data["amount"],
                note=data["note"],
                receipts=data["receipts"],
                request_token=data["token"],
            )
        except (ValidationError, Refused) as error:
            # Said next to what to change (over the cap: the amount), with the entered values kept.
            add_errors(form, error)
        else:
            messages.success(request, _("Payout proposed; a finance approver decides next."))
            return redirect(payout)
    return render(request, "funds/payouts/propose.html", {"form": form, "award": award})


# --- The steps on a payout's page (``payouts/<pk>/<step>/``), one view each ------------------


def _done(request, payout: Payout):
    messages.success(request, _("Done. The payout is now “%(state)s”.") % {"state": payout.get_state_display()})


# --- Confirming money: approving and paying show the amount, the payee and the group first ---
#
# The first POST of "approve" or "mark paid" changes nothing: it answers with a confirmation
# page (amount in figures and in capitals, payee, group) carrying a signed token of exactly
# what was shown. Only a POST with that token, still matching the payout, moves the money.

CONFIRM_SALT = "funds.payout.confirm"
CONFIRM_SECONDS = 15 * 60


def _confirm_token(request, payout: Payout, action: str, details: dict) -> str:
    values = {"payout": payout.pk, "action": action, "amount": str(payout.amount), "state": payout.state}
    return signing.dumps({**values, "user": request.user.pk, **details}, salt=CONFIRM_SALT)


def _confirmed(request, payout: Payout, action: str, details: dict) -> bool:
    """Whether the POST carries a live token for this very step, payout, amount, state and details."""
    token = request.POST.get("confirm_token", "")
    if not token:
        return False
    try:
        values = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_SECONDS)
    except signing.BadSignature:
        return False
    expected = {"payout": payout.pk, "action": action, "amount": str(payout.amount), "state": payout.state}
    return values == {**expected, "user": request.user.pk, **details}


def _confirm_page(request, payout: Payout, action: str, details: dict, *, shown: dict):
    leaders = RoleAssignment.objects.filter(role=Role.LEADER, building_group=payout.award.group_id).select_related(
        "user"
    )
    context = {
        "payout": payout,
        "award": payout.award,
        "action": action,
        "leaders": [a.user for a in leaders],
        "token": _confirm_token(request, payout, action, details),
        "details": details,
        "shown": shown,
        "stale": bool(request.POST.get("confirm_token")),
    }
    return render(request, "funds/payouts/confirm.html", context)


def _needs_confirmation(request, payout: Payout, action: str, details: dict) -> bool:
    """A step this user may take now, on the state the page showed, not yet confirmed. (A step
    they may not take goes straight to the service, which refuses it with the reason.)"""
    shown_state = request.POST.get("state") or payout.state
    allowed = action in payout_steps(request.user, payout) and shown_state == payout.state
    return allowed and not _confirmed(request, payout, action, details)


def _step_approve(request, payout: Payout):
    form = ReasonForm(request.POST)
    form.is_valid()
    if _needs_confirmation(request, payout, "approve", {}):
        return _confirm_page(request, payout, "approve", {}, shown={})
    payout = services.payout_approve(
        payout=payout, actor=request.user, expected_state=form.cleaned_data.get("state") or None
    )
    _done(request, payout)


def _step_reject(request, payout: Payout):
    form = ReasonForm(request.POST)
    form.is_valid()
    payout = services.payout_reject(
        payout=payout,
        actor=request.user,
        reason=form.cleaned_data.get("reason", ""),
        expected_state=form.cleaned_data.get("state") or None,
    )
    _done(request, payout)


def _step_cancel(request, payout: Payout):
    form = ReasonForm(request.POST)
    form.is_valid()
    payout = services.payout_cancel(
        payout=payout,
        actor=request.user,
        reason=form.cleaned_data.get("reason", ""),
        expected_state=form.cleaned_data.get("state") or None,
    )
    _done(request, payout)


def _step_pay(request, payout: Payout):
    form = MarkPaidForm(request.POST)
    if not form.is_valid():
        context = _payout_context(request, payout, paid_form=form)
        return render(request, "funds/payouts/detail.html", context, status=400)
    details = {"paid_on": form.cleaned_data["paid_on"].isoformat(), "reference": form.cleaned_data["reference"].strip()}
    if _needs_confirmation(request, payout, "pay", details):
        shown = {"paid_on": form.cleaned_data["paid_on"], "reference": details["reference"]}
        return _confirm_page(request, payout, "pay", details, shown=shown)
    payout = services.payout_mark_paid(
        payout=payout,
        actor=request.user,
        paid_on=form.cleaned_data["paid_on"],
        reference=form.cleaned_data["reference"],
        expected_state=form.cleaned_data.get("state") or None,
    )
    _done(request, payout)


def _step_receipts(request, payout: Payout):
    """More receipts for a proposed renovation payout."""
    require(request.user, "funds.add_receipts", payout)
    form = ReceiptAddForm(request.POST, request.FILES)
    if not form.is_valid():
        if "receipts" not in payout_steps(request.user, payout):
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return None
        context = _payout_context(request, payout, receipt_form=form)
        return render(request, "funds/payouts/detail.html", context, status=400)
    added = services.payout_receipts_add(
        payout=payout,
        actor=request.user,
        receipts=form.cleaned_data["receipts"],
        expected_state=request.POST.get("state") or None,
    )
    messages.success(request, _("Receipts added: %(count)s.") % {"count": len(added)})


# URL step → its view; each calls the one service of that step (funds/workflows/payout.py).
STEPS = {
    "approve": _step_approve,
    "reject": _step_reject,
    "pay": _step_pay,
    "cancel": _step_cancel,
    "receipts": _step_receipts,
}


@login_required
@require_POST
def payout_step(request, pk, action):
    payout = get_payout_for_user(request.user, pk)
    if action not in STEPS:
        raise Http404
    try:
        response = STEPS[action](request, payout)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except Refused as error:
        messages.error(request, error.reason)
    else:
        if response is not None:
            return response
    return redirect("funds:payout", pk)


@login_required
def payout_receipt(request, pk):
    receipt = get_receipt_for_user(request.user, pk)
    return serve_private_file(receipt.file, download_name=receipt.download_name)


# --- Budget ------------------------------------------------------------------------------


@login_required
def budget(request):
    require(request.user, "funds.view_payouts")
    years, chosen, rows, totals = budget_figures(request)
    return render(
        request, "funds/payouts/budget.html", {"years": years, "chosen": chosen, "rows": rows, "totals": totals}
    )


def budget_figures(request):
    """The budget page's figures for the year in the query string (the page and its export)."""
    years = list(_years_for(request.user).order_by("-year", "street_id"))
    chosen = next((y for y in years if str(y.pk) == request.GET.get("year")), years[0] if years else None)
    rows, totals = [], None
    if chosen is not None:
        sums = {
            row["award__group__building__compound__neighbourhood_id"]: row
            for row in Payout.objects.filter(award__programme_year=chosen)
            .values("award__group__building__compound__neighbourhood_id")
            .annotate(
                proposed=Sum("amount", filter=Q(state=PayoutState.PROPOSED)),
                approved=Sum("amount", filter=Q(state=PayoutState.APPROVED)),
                paid=Sum("amount", filter=Q(state=PayoutState.PAID)),
            )
        }
        zero = Decimal("0.00")
        for neighbourhood in Neighbourhood.objects.filter(street_id=chosen.street_id).order_by("name"):
            row = sums.get(neighbourhood.pk, {})
            rows.append(
                {
                    "neighbourhood": neighbourhood,
                    "proposed": row.get("proposed") or zero,
                    "approved": row.get("approved") or zero,
                    "paid": row.get("paid") or zero,
                }
            )
        approved = sum((r["approved"] for r in rows), zero)
        paid = sum((r["paid"] for r in rows), zero)
        totals = {
            "budget": chosen.annual_budget,
            "proposed": sum((r["proposed"] for r in rows), zero),
            "approved": approved,
            "paid": paid,
            "remaining": chosen.annual_budget - approved - paid,
        }
    return years, chosen, rows, totals
