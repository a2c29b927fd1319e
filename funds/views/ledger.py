"""The corridor ledger: the leader records spending from the culture fund; others in scope read it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from common.forms import add_errors
from common.permissions import require
from common.refusals import Refused
from common.uploads import serve_private_file
from funds.forms.ledger import LedgerEntryForm, LedgerReverseForm
from funds.selectors import get_award_for_user, get_ledger_entry_for_user
from funds.services.ledger import ledger_entry_add, ledger_entry_reverse


@login_required
def ledger(request, award_pk):
    award = get_award_for_user(request.user, award_pk)
    is_leader = request.user.has_perm("funds.keep_ledger", award)
    form = LedgerEntryForm(request.POST or None, request.FILES or None) if is_leader else None
    if request.method == "POST":
        require(request.user, "funds.keep_ledger", award)
        if form.is_valid():
            data = form.cleaned_data
            try:
                ledger_entry_add(
                    award=award,
                    actor=request.user,
                    spent_on=data["spent_on"],
                    item=data["item"],
                    amount=data["amount"],
                    receipt=data["receipt"],
                    receipt_amount=data["receipt_amount"],
                )
            except ValidationError as error:
                add_errors(form, error)
            except Refused as error:
                messages.error(request, error.reason)
            else:
                messages.success(request, _("Spending recorded."))
                return redirect("funds:ledger", award.pk)
        award.refresh_from_db()
    entries = award.ledger_entries.select_related("reverses").prefetch_related("reversal")
    return render(
        request, "funds/ledger/ledger.html", {"award": award, "entries": entries, "form": form, "is_leader": is_leader}
    )


@login_required
def ledger_receipt(request, pk):
    entry = get_ledger_entry_for_user(request.user, pk)
    if not entry.receipt:
        raise Http404
    return serve_private_file(entry.receipt, download_name=entry.download_name)


@login_required
def ledger_reverse(request, pk):
    """Correct a wrong line by a reversing entry (with the reason), never by editing it."""
    entry = get_ledger_entry_for_user(request.user, pk)
    require(request.user, "funds.keep_ledger", entry.award)
    form = LedgerReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ledger_entry_reverse(entry=entry, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_errors(form, error)
        except Refused as error:
            messages.error(request, error.reason)
            return redirect("funds:ledger", entry.award_id)
        else:
            messages.success(request, _("The entry is reversed. Record the right spending if there was one."))
            return redirect("funds:ledger", entry.award_id)
    return render(
        request,
        "funds/ledger/reverse.html",
        {"entry": entry, "award": entry.award, "form": form},
        status=400 if request.method == "POST" else 200,
    )
