"""Forms of the acceptance checks, awards, payouts and the corridor ledger."""

import uuid
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.forms import ReceiptField, SafeImageField
from funds.models import SCORE_FIELDS, CheckPhoto, Criterion, LedgerEntry, Payout, PayoutKind, PayoutState


class ScheduleForm(forms.Form):
    scheduled_for = forms.DateField(
        label=_("Inspection date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    inspectors = forms.ModelMultipleChoiceField(
        label=_("Inspectors"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, inspectors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].queryset = inspectors


class ScoresForm(forms.Form):
    """One score per criterion, within the check's own rule."""

    remarks = forms.CharField(label=_("Remarks"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    rectification_items = forms.CharField(
        label=_("Rectification items"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One item per line; required when the check fails."),
    )

    def __init__(self, *args, criterion_max: int, **kwargs):
        super().__init__(*args, **kwargs)
        scores = {
            field: forms.IntegerField(label=Criterion(criterion).label, min_value=0, max_value=criterion_max)
            for criterion, field in SCORE_FIELDS.items()
        }
        self.fields = {**scores, **self.fields}

    def scores(self) -> dict[str, int]:
        return {criterion: self.cleaned_data[field] for criterion, field in SCORE_FIELDS.items()}


class CheckPhotoForm(forms.Form):
    image = SafeImageField(label=_("Photo"))
    alt_text = forms.CharField(
        label=_("Description of the photo"), max_length=CheckPhoto._meta.get_field("alt_text").max_length
    )


class ReasonForm(forms.Form):
    """A step that needs a reason, carrying the state the page showed so a stale click is caught."""

    state = forms.CharField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


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
    note = forms.CharField(label=_("Note"), max_length=Payout._meta.get_field("note").max_length, required=False)
    # A one-time token rendered with the page: a second submission of the same form is
    # recognised and makes no second payout.
    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, culture_fund_taken: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if culture_fund_taken:
            # One live culture-fund payout per award: only a renovation claim is left to offer.
            self.fields["kind"].choices = [c for c in PayoutKind.choices if c[0] != PayoutKind.CULTURE_FUND]
            self.fields["kind"].initial = PayoutKind.RENOVATION


class ReceiptAddForm(forms.Form):
    receipt = ReceiptsField(label=_("Receipts (PDF or pictures)"))


class MarkPaidForm(forms.Form):
    state = forms.CharField(widget=forms.HiddenInput, initial=PayoutState.APPROVED)
    paid_on = forms.DateField(
        label=pgettext_lazy("payout", "Paid on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    reference = forms.CharField(
        label=_("Payment reference"), max_length=Payout._meta.get_field("paid_reference").max_length
    )


class LedgerEntryForm(forms.Form):
    spent_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), initial=timezone.localdate
    )
    item = forms.CharField(label=_("Item"), max_length=LedgerEntry._meta.get_field("item").max_length)
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    receipt = ReceiptField(label=_("Receipt photo"))


class PayoutFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All states")), *PayoutState.choices]
        self.fields["year"].choices = [("", _("All years")), *((y, y) for y in years)]
