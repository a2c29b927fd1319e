"""The log of personal data seen unmasked (who, whose, which fields, when, why), for the superuser."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from common.listing import paginate
from common.permissions import require
from corridors.models import PersonalDataAccess


@login_required
def access_log(request):
    require(request.user, "corridors.view_personal_data_log")
    accesses = PersonalDataAccess.objects.select_related("actor")
    return render(request, "corridors/privacy/access_log.html", {"page_obj": paginate(accesses, request)})
