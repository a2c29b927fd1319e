"""One person's data on request (个人信息保护法 art. 45): the superuser or street staff find a
person by name or phone number and download every record about them as .xlsx; each export
is in the personal-data log (``PersonalDataAccess``: who, whom — masked —, how many records,
why), which the superuser reads."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.export import xlsx_response
from common.forms import add_errors
from common.masking import mask_name, mask_phone
from common.refusals import Refused
from corridors.models import PersonalDataAccess
from corridors.personal_data import PersonQuery, person_records
from corridors.selectors import scope_of
from corridors.services.privacy import personal_data_reveal


class PersonSearchForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Full name"), required=False, min_length=2, max_length=50)
    phone = forms.CharField(
        label=gettext_lazy("Phone number"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("Whole name, or at least 7 digits of the number."),
    )
    purpose = forms.CharField(
        label=gettext_lazy("Purpose of the download"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("For example: 本人申请查阅（2026年12月3日来访）. It is recorded."),
    )

    def clean(self):
        data = super().clean()
        digits = "".join(ch for ch in data.get("phone") or "" if ch.isdigit())
        if data.get("phone") and len(digits) < 7:
            self.add_error("phone", _("Please give at least 7 digits of the number."))
        if not data.get("name") and not data.get("phone"):
            raise forms.ValidationError(_("Please give the person's name or phone number."))
        return data


def _may_export(user) -> bool:
    return user.is_superuser or bool(scope_of(user).staff_streets)


@login_required
def person_data(request):
    if not _may_export(request.user):
        raise PermissionDenied(_("Only street office staff and the system administrator export a person's data."))
    form = PersonSearchForm(request.GET or None)
    records = None
    if form.is_valid():
        streets = None if request.user.is_superuser else scope_of(request.user).staff_streets
        person = PersonQuery(
            name=form.cleaned_data["name"].strip(), phone=form.cleaned_data["phone"].strip(), streets=streets
        )
        records = person_records(person)
        if request.GET.get("export"):
            whom = " ".join(filter(None, [mask_name(person.name) if person.name else "", mask_phone(person.phone)]))
            try:
                personal_data_reveal(
                    actor=request.user,
                    subject=None,
                    subject_label=_("Person searched: %(whom)s") % {"whom": whom},
                    fields=[str(_("Every record"))],
                    purpose=form.cleaned_data["purpose"],
                    kind=PersonalDataAccess.Kind.EXPORT,
                    rows=len(records),
                )
            except Refused as error:
                add_errors(form, error)
            else:
                return xlsx_response(
                    filename=f"person-data-{timezone.localdate():%Y%m%d}.xlsx",
                    sheet_title=_("Personal data"),
                    headers=[_("Kind of record"), _("Reference"), _("Date"), _("Details")],
                    rows=[(r.kind, r.reference, r.when, r.details) for r in records],
                )
        if not records:
            messages.info(request, _("Nothing recorded matches this name or number."))
    exports = PersonalDataAccess.objects.filter(actor=request.user, subject_type="person")[:20]
    return render(request, "corridors/people/person_data.html", {"form": form, "records": records, "exports": exports})
