"""Staff pages for accounts: create, edit roles, reset password, deactivate."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from corridors.access import require, scope_of
from corridors.models import User


@login_required
def user_list(request):
    require(request.user, "corridors.manage_people")
    users = User.objects.filter(roles__street_id__in=scope_of(request.user).staff_streets).distinct()
    return render(request, "corridors/people/user_list.html", {"users": users})


urlpatterns = [
    path("", user_list, name="list"),
]
