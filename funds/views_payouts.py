"""Pages of the payouts (finance and street staff), the budget view and the corridor ledger."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Q, Sum, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from common.export import xlsx_response
from common.listing import paginate
from common.uploads import serve_private_file
from corridors.models import Neighbourhood, ProgrammeYear
from corridors.selectors import scope_of
from funds import services_payouts as services
from funds.forms_awards import (
    LedgerEntryForm,
    MarkPaidForm,
    PayoutFilterForm,
    ProposeForm,
    ReasonForm,
    ReceiptAddForm,
)
from funds.models import MoneyEvent, Payout, PayoutKind, PayoutState
from funds.selectors import (
    can_see_payouts,
    get_award_for_user,
    get_ledger_entry_for_user,
    get_payout_for_user,
    get_receipt_for_user,
    is_finance_of,
    is_staff_of,
    leads,
    payouts_for_user,
)
from funds.services_awards import Refused
from funds.views_awards import form_errors

# --- Payouts -----------------------------------------------------------------------------


def _years_for(user):
    scope = scope_of(user)
    return ProgrammeYear.objects.filter(street_id__in=scope.staff_streets | scope.finance_streets).select_related(
        "street"
    )


def _filtered_payouts(request):
    if not can_see_payouts(request.user):
        raise PermissionDenied
    years = sorted(set(_years_for(request.user).values_list("year", flat=True)), reverse=True)
    form = PayoutFilterForm(request.GET or None, years=years)
    payouts = payouts_for_user(request.user).select_related("approved_by")
    if form.is_valid():
        if form.cleaned_data["state"]:
            payouts = payouts.filter(state=form.cleaned_data["state"])
        if form.cleaned_data["year"]:
            payouts = payouts.filter(award__programme_year__year=form.cleaned_data["year"])
    return form, payouts


@login_required
def payout_list(request):
    form, payouts = _filtered_payouts(request)
    # What waits for someone comes first: proposed, then approved, then the rest.
    rank = Case(When(state=PayoutState.PROPOSED, then=0), When(state=PayoutState.APPROVED, then=1), default=2)
    page_obj = paginate(payouts.annotate(rank=rank).order_by("rank", "-proposed_at", "-pk"), request)
    return render(request, "funds/payout_list.html", {"form": form, "page_obj": page_obj})


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
        )
        for p in payouts.order_by("pk")
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
    ]
    return xlsx_response(filename="payouts.xlsx", sheet_title=_("Payouts"), headers=headers, rows=rows)


def _can_add_receipts(payout: Payout, staff: bool) -> bool:
    return staff and payout.kind == PayoutKind.RENOVATION and payout.state == PayoutState.PROPOSED


def _payout_context(request, payout: Payout, *, receipt_form=None) -> dict:
    street_id = payout.award.programme_year.street_id
    finance = is_finance_of(request.user, street_id)
    staff = is_staff_of(request.user, street_id)
    live = payout.state in (PayoutState.PROPOSED, PayoutState.APPROVED)
    can_add_receipts = _can_add_receipts(payout, staff)
    return {
        "payout": payout,
        "award": payout.award,
        "receipts": payout.receipts.select_related("uploaded_by"),
        "receipt_form": (receipt_form or ReceiptAddForm()) if can_add_receipts else None,
        "events": MoneyEvent.objects.filter(subject_type="funds.payout", subject_id=payout.pk)
        .select_related("actor")
        .order_by("created_at", "pk"),
        "can_decide": finance and payout.state == PayoutState.PROPOSED and payout.proposed_by_id != request.user.pk,
        "own_proposal": payout.proposed_by_id == request.user.pk,
        "is_finance": finance,
        "can_pay": finance and payout.state == PayoutState.APPROVED,
        "can_cancel": (finance or staff) and live,
        "paid_form": MarkPaidForm(),
    }


@login_required
def payout_detail(request, pk):
    payout = get_payout_for_user(request.user, pk)
    return render(request, "funds/payout_detail.html", _payout_context(request, payout))


@login_required
def payout_voucher(request, pk):
    payout = get_payout_for_user(request.user, pk)
    return render(request, "funds/payout_voucher.html", _payout_context(request, payout))


@login_required
def payout_propose(request, award_pk):
    award = get_award_for_user(request.user, award_pk)
    if not is_staff_of(request.user, award.programme_year.street_id):
        raise PermissionDenied(_("Only street staff propose payouts."))
    culture_fund_taken = (
        award.payouts.filter(kind=PayoutKind.CULTURE_FUND)
        .exclude(state__in=[PayoutState.REJECTED, PayoutState.CANCELLED])
        .exists()
    )
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
                receipts=data["receipt"],
                request_token=data["token"],
            )
        except ValidationError as error:
            form_errors(form, error)
        except Refused as error:
            # Said next to what to change (over the cap: the amount), with the entered values kept.
            form.add_error("amount" if data["kind"] == PayoutKind.RENOVATION else None, error.reason)
        else:
            messages.success(request, _("Payout proposed; a finance approver decides next."))
            return redirect(payout)
    return render(request, "funds/payout_propose.html", {"form": form, "award": award})


@login_required
@require_POST
def payout_step(request, pk, action):
    payout = get_payout_for_user(request.user, pk)
    if action == "receipts":
        return _receipts_add(request, payout)
    if action == "pay":
        form = MarkPaidForm(request.POST)
        if not form.is_valid():
            context = _payout_context(request, payout)
            context["paid_form"] = form
            return render(request, "funds/payout_detail.html", context, status=400)
    elif action in ("approve", "reject", "cancel"):
        form = ReasonForm(request.POST)
        form.is_valid()
    else:
        raise Http404
    data = form.cleaned_data
    expected = data.get("state") or None
    try:
        if action == "approve":
            payout = services.payout_approve(payout=payout, actor=request.user, expected_state=expected)
        elif action == "reject":
            payout = services.payout_reject(
                payout=payout, actor=request.user, reason=data.get("reason", ""), expected_state=expected
            )
        elif action == "cancel":
            payout = services.payout_cancel(
                payout=payout, actor=request.user, reason=data.get("reason", ""), expected_state=expected
            )
        else:
            payout = services.payout_mark_paid(
                payout=payout,
                actor=request.user,
                paid_on=data["paid_on"],
                reference=data["reference"],
                expected_state=expected,
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except Refused as error:
        messages.error(request, error.reason)
    else:
        messages.success(request, _("Done. The payout is now “%(state)s”.") % {"state": payout.get_state_display()})
    return redirect("funds:payout", pk)


def _receipts_add(request, payout: Payout):
    """More receipts for a proposed renovation payout (``payout_step`` with action "receipts")."""
    if not is_staff_of(request.user, payout.award.programme_year.street_id):
        raise PermissionDenied
    form = ReceiptAddForm(request.POST, request.FILES)
    if not form.is_valid():
        if not _can_add_receipts(payout, staff=True):
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return redirect(payout)
        return render(
            request, "funds/payout_detail.html", _payout_context(request, payout, receipt_form=form), status=400
        )
    try:
        added = services.payout_receipts_add(
            payout=payout,
            actor=request.user,
            receipts=form.cleaned_data["receipt"],
            expected_state=request.POST.get("state") or None,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except Refused as error:
        messages.error(request, error.reason)
    else:
        messages.success(request, _("Receipts added: %(count)s.") % {"count": len(added)})
    return redirect(payout)


@login_required
def payout_receipt(request, pk):
    receipt = get_receipt_for_user(request.user, pk)
    return serve_private_file(receipt.file, download_name=receipt.download_name)


# --- Budget ------------------------------------------------------------------------------


@login_required
def budget(request):
    if not can_see_payouts(request.user):
        raise PermissionDenied
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
    return render(request, "funds/budget.html", {"years": years, "chosen": chosen, "rows": rows, "totals": totals})


# --- The corridor ledger -----------------------------------------------------------------


@login_required
def ledger(request, award_pk):
    award = get_award_for_user(request.user, award_pk)
    is_leader = leads(request.user, award.group_id)
    form = LedgerEntryForm(request.POST or None, request.FILES or None) if is_leader else None
    if request.method == "POST":
        if not is_leader:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.ledger_entry_add(
                    award=award,
                    actor=request.user,
                    spent_on=data["spent_on"],
                    item=data["item"],
                    amount=data["amount"],
                    receipt=data["receipt"],
                )
            except ValidationError as error:
                form_errors(form, error)
            except Refused as error:
                messages.error(request, error.reason)
            else:
                messages.success(request, _("Spending recorded."))
                return redirect("funds:ledger", award.pk)
        award.refresh_from_db()
    entries = award.ledger_entries.all()
    return render(
        request, "funds/ledger.html", {"award": award, "entries": entries, "form": form, "is_leader": is_leader}
    )


@login_required
def ledger_receipt(request, pk):
    entry = get_ledger_entry_for_user(request.user, pk)
    if not entry.receipt:
        raise Http404
    return serve_private_file(entry.receipt, download_name=entry.download_name)
