"""The inbox (namespace ``inbox``): every step someone was told about (applications, works, payouts, requests...)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from common.listing import paginate
from corridors.selectors import get_notification_for_user, notifications_for_user
from corridors.services.notifications import notification_mark_read


@login_required
def inbox(request):
    notifications = notifications_for_user(request.user).select_related("actor", "application")
    return render(request, "corridors/inbox/list.html", {"page_obj": paginate(notifications, request)})


@login_required
@require_POST
def inbox_open(request, pk):
    notification = get_notification_for_user(request.user, pk)
    notification_mark_read(recipient=request.user, notification_id=notification.pk)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("inbox:list")


@login_required
@require_POST
def inbox_read_all(request):
    notification_mark_read(recipient=request.user)
    return redirect("inbox:list")
