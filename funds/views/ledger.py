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
from funds.forms.ledger import LedgerEntryForm
from funds.selectors import get_award_for_user, get_ledger_entry_for_user
from funds.services.ledger import ledger_entry_add


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
                )
            except ValidationError as error:
                add_errors(form, error)
            except Refused as error:
                messages.error(request, error.reason)
            else:
                messages.success(request, _("Spending recorded."))
                return redirect("funds:ledger", award.pk)
        award.refresh_from_db()
    entries = award.ledger_entries.all()
    return render(
        request, "funds/ledger/ledger.html", {"award": award, "entries": entries, "form": form, "is_leader": is_leader}
    )


@login_required
def ledger_receipt(request, pk):
    entry = get_ledger_entry_for_user(request.user, pk)
    if not entry.receipt:
        raise Http404
    return serve_private_file(entry.receipt, download_name=entry.download_name)
