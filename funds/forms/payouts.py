"""Forms of the payouts: proposing, receipts, payment, the list's filter."""

import re
import uuid
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common import dates
from common.forms import ReceiptField
from funds.models import Payout, PayoutKind, PayoutState

MAX_RECEIPTS = 10


class MultipleReceiptInput(forms.FileInput):
    allow_multiple_selected = True


class ReceiptsField(ReceiptField):
    """Several receipts in one file input, each cleaned by ``common.forms.ReceiptField``; a list."""

    widget = MultipleReceiptInput(attrs={"accept": ReceiptField.widget.attrs["accept"]})

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload]
        if not uploads:
            super().clean(None, initial)  # "required" when the field is
            return []
        if len(uploads) > MAX_RECEIPTS:
            raise forms.ValidationError(
                _("At most %(count)s receipts at once.") % {"count": MAX_RECEIPTS}, code="too_many"
            )
        cleaned, errors = [], []
        for upload in uploads:
            try:
                cleaned.append(super().clean(upload, initial))
            except forms.ValidationError as error:
                errors.extend(f"{upload.name}: {message}" for message in error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


AMOUNT_SEPARATORS = re.compile(r"[\s,，、;；]+")


def receipt_amounts_field(**kwargs) -> forms.CharField:
    return forms.CharField(
        label=_("Amount on each receipt (yuan)"),
        max_length=300,
        help_text=_("In the order of the files, separated by spaces or commas, e.g. 1200.00, 350.50"),
        **kwargs,
    )


def with_amounts(form: forms.Form) -> list:
    """The cleaned receipts joined with the amounts typed for them: [(kind, file, amount)]."""
    receipts = form.cleaned_data.get("receipt") or []
    text = (form.cleaned_data.get("receipt_amounts") or "").strip()
    if not receipts:
        return []
    amounts = []
    for part in AMOUNT_SEPARATORS.split(text) if text else []:
        try:
            amount = Decimal(part)
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
            form.add_error(
                "receipt_amounts", _("“%(value)s” is not an amount in yuan to the fen.") % {"value": part[:20]}
            )
            return []
        amounts.append(amount)
    if len(amounts) != len(receipts):
        form.add_error(
            "receipt_amounts",
            _("%(files)s receipts were chosen but %(amounts)s amounts given: one amount per receipt.")
            % {"files": len(receipts), "amounts": len(amounts)},
        )
        return []
    return [(kind, content, amount) for (kind, content), amount in zip(receipts, amounts, strict=True)]


class ProposeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PayoutKind.choices, widget=forms.RadioSelect)
    amount = forms.DecimalField(
        label=_("Amount (yuan)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        help_text=_("Renovation only; the culture fund is the award's fixed amount."),
    )
    receipt = ReceiptsField(
        label=_("Receipts (required for renovation claims)"),
        required=False,
        help_text=_("Renovation only: choose one or more files; more can be added until the payout is approved."),
    )
    receipt_amounts = receipt_amounts_field(required=False)
    note = forms.CharField(label=_("Note"), max_length=Payout._meta.get_field("note").max_length, required=False)
    # A one-time token rendered with the page: a second submission of the same form is
    # recognised and makes no second payout.
    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, culture_fund_taken: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if culture_fund_taken:
            # One live culture-fund payout per award: a renovation claim is what is left. The
            # choice stays, so a second culture-fund proposal is refused with the reason
            # (by the service), not with a generic "not a valid choice".
            self.fields["kind"].initial = PayoutKind.RENOVATION
            self.fields["kind"].help_text = _("This award's culture fund is already proposed, approved or paid.")

    def clean(self):
        data = super().clean()
        if data.get("kind") == PayoutKind.RENOVATION:
            data["receipts"] = with_amounts(self)
        else:
            data["receipts"] = []
        return data


class ReceiptAddForm(forms.Form):
    receipt = ReceiptsField(label=_("Receipts (PDF or pictures)"))
    receipt_amounts = receipt_amounts_field()

    def clean(self):
        data = super().clean()
        data["receipts"] = with_amounts(self)
        return data


class MarkPaidForm(forms.Form):
    state = forms.CharField(widget=forms.HiddenInput, initial=PayoutState.APPROVED)
    paid_on = dates.DateField(
        label=pgettext_lazy("payout", "Paid on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    reference = forms.CharField(
        label=_("Payment reference"), max_length=Payout._meta.get_field("paid_reference").max_length
    )


class PayoutFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All states")), *PayoutState.choices]
        self.fields["year"].choices = [("", _("All years")), *((y, y) for y in years)]
