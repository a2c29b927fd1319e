"""The inbox (namespace ``inbox``): every step someone was told about (applications, works, payouts, requests...)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import add_errors
from common.listing import paginate
from common.refusals import Refused
from corridors.forms.notifications import NoticePreferenceForm
from corridors.models import NoticePreference
from corridors.selectors import get_notification_for_user, notifications_for_user
from corridors.services.notifications import notice_preference_set, notification_mark_read


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


@login_required
def inbox_preferences(request):
    """Inbox only, or inbox and e-mail; and the language of one's e-mails."""
    current = NoticePreference.objects.filter(user=request.user).first()
    initial = {
        "by_email": "1" if current is None or current.by_email else "0",
        "language": current.language if current else "",
    }
    form = NoticePreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            notice_preference_set(user=request.user, **form.cleaned_data)
        except Refused as refusal:
            add_errors(form, refusal)
        else:
            messages.success(request, _("Saved: this is how you will be told."))
            return redirect("inbox:preferences")
    return render(request, "corridors/inbox/preferences.html", {"form": form, "has_email": bool(request.user.email)})
