"""The street's representatives with the terms (届) they serve."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from common.forms import add_errors
from common.permissions import require
from common.refusals import Refused
from consultations.forms.terms import TermForm
from consultations.selectors import representative_assignments_for_user, terms_for_user
from consultations.services.terms import representative_term_add
from corridors.selectors import staff_streets_for_user


@login_required
def representatives(request):
    """The street's representatives with the terms they serve; record a new term."""
    require(request.user, "consultations.manage_terms")
    form = TermForm(request.POST or None, streets=staff_streets_for_user(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assignment = data["assignment"]
        try:
            representative_term_add(
                actor=request.user,
                representative=assignment.user,
                neighbourhood=assignment.neighbourhood,
                term=data["term"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except Refused as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Term recorded."))
            return redirect("consultations:representatives")
    by_person = {}
    for term in terms_for_user(request.user):
        by_person.setdefault((term.representative_id, term.neighbourhood_id), []).append(term)
    assignments = representative_assignments_for_user(request.user)
    rows = [(a, by_person.get((a.user_id, a.neighbourhood_id), [])) for a in assignments]
    return render(
        request,
        "consultations/terms/representatives.html",
        {"form": form, "rows": rows, "today": timezone.localdate()},
        status=400 if form.errors else 200,
    )
