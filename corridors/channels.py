"""Notification channels, pluggable like Django's e-mail backends.

``settings.NOTIFICATION_CHANNELS`` lists them, each ``{"BACKEND": dotted path, "OPTIONS":
{...}}``; ``notify`` writes the inbox rows and hands them to every channel inside the step's
transaction. A channel that talks to the outside world does so by a job (never in the
request), so a rolled-back step sends nothing and an unreachable service is retried.

- ``InboxChannel``: the inbox rows themselves (always there; listed for completeness).
- ``EmailChannel``: one e-mail per recipient with an address who has not chosen inbox only,
  in the recipient's language (``NoticePreference``).
- ``WeComWebhookChannel``: a 企业微信 group robot (``url``), e.g. a department's duty group;
  ``roles`` limits it to steps that tell holders of those roles.
- ``SmsChannel``: a text to recipients with a phone, through ``adapter`` (a dotted path to a
  ``SmsAdapter`` subclass the operator configures for their SMS provider).
"""

import json
import logging
import urllib.request

from django.conf import settings
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jobs.core import job
from jobs.tasks import send_email_later

logger = logging.getLogger(__name__)


class Channel:
    def __init__(self, **options):
        self.options = options

    def deliver(self, notifications: list, *, subject_parts=None, body_parts=None) -> None:
        raise NotImplementedError


def language_of(user) -> str:
    preference = getattr(user, "_notice_preference", None)
    return (preference.language if preference else "") or settings.LANGUAGE_CODE


def wants_email(user) -> bool:
    preference = getattr(user, "_notice_preference", None)
    return preference.by_email if preference else True


def rendered(notification, *, subject_parts=None, body_parts=None) -> tuple[str, str]:
    """The subject and body of one notification in the active language, the page's full link last."""
    from common.systemtext import render, render_lines
    from corridors.services.notifications import absolute_url

    subject = render(subject_parts) if subject_parts else notification.verb_label
    body = render_lines(body_parts) if body_parts else notification.text
    link = absolute_url(notification.url)
    if link:
        body = "\n\n".join(part for part in (body, gettext("Open it on the site:") + "\n" + link) if part)
    return subject, body


class InboxChannel(Channel):
    def deliver(self, notifications, **parts):
        pass  # the rows are the inbox


class EmailChannel(Channel):
    def deliver(self, notifications, **parts):
        for notification in notifications:
            user = notification.recipient
            if not user.email or not wants_email(user):
                continue
            with translation.override(language_of(user)):
                subject, body = rendered(notification, **parts)
            send_email_later(subject=subject, body=body, to=[user.email])


@job(name="corridors.post_webhook", label=_("Group robot message"), queue="mail")
def post_webhook(*, url: str, payload: dict) -> None:
    """POST a JSON message to a group robot; a refusal (HTTP error or ``errcode``) is retried."""
    if not url.startswith(("https://", "http://")):
        raise ValueError("A group robot's address starts with https://")
    data, headers = json.dumps(payload).encode(), {"Content-Type": "application/json"}
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")  # noqa: S310 (checked above)
    with urllib.request.urlopen(request, timeout=settings.EMAIL_TIMEOUT) as response:  # noqa: S310
        answer = json.loads(response.read() or b"{}")
    if answer.get("errcode", 0) != 0:
        raise RuntimeError(f"The group robot refused the message: {answer}")


class WeComWebhookChannel(Channel):
    """One text message per step to a 企业微信 group robot (in the site's language)."""

    def deliver(self, notifications, **parts):
        if not notifications or not self.options.get("url"):
            return
        roles = self.options.get("roles")
        if roles:
            from corridors.models import RoleAssignment

            told = [n.recipient_id for n in notifications]
            if not RoleAssignment.objects.filter(user_id__in=told, role__in=roles).exists():
                return
        with translation.override(settings.LANGUAGE_CODE):
            subject, body = rendered(notifications[0], **parts)
        names = "、".join(str(n.recipient) for n in notifications)
        content = f"{subject}\n{body}\n→ {names}"
        post_webhook.defer(url=self.options["url"], payload={"msgtype": "text", "text": {"content": content}})


class SmsAdapter:
    """Sends one text message; the operator's subclass talks to their SMS provider."""

    def send(self, *, phone: str, text: str) -> None:
        raise NotImplementedError


class LogSmsAdapter(SmsAdapter):
    """Writes the message to the log (no provider configured)."""

    def send(self, *, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone[-4:].rjust(len(phone), "*"), text)


@job(name="corridors.send_sms", label=_("Text message"), queue="mail")
def send_sms(*, adapter: str, phone: str, text: str) -> None:
    import_string(adapter)().send(phone=phone, text=text)


class SmsChannel(Channel):
    def deliver(self, notifications, **parts):
        adapter = self.options.get("adapter", "corridors.channels.LogSmsAdapter")
        for notification in notifications:
            user = notification.recipient
            if not user.phone:
                continue
            with translation.override(language_of(user)):
                subject, _body = rendered(notification, **parts)
            send_sms.defer(adapter=adapter, phone=user.phone, text=subject)


def channels() -> list[Channel]:
    return [import_string(entry["BACKEND"])(**entry.get("OPTIONS", {})) for entry in settings.NOTIFICATION_CHANNELS]
