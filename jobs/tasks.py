"""The jobs every app may defer: e-mail."""

from django.core.mail import EmailMessage
from django.utils.translation import gettext_lazy as _

from jobs.core import job


@job(name="jobs.send_email", label=_("E-mail"), queue="mail")
def send_email(*, subject: str, body: str, to: list[str], from_email: str | None = None) -> None:
    """Send one e-mail (``EMAIL_TIMEOUT`` bounds a server that does not answer; a failure is retried)."""
    EmailMessage(subject=subject, body=body, from_email=from_email, to=to).send()


def send_email_later(*, subject: str, body: str, to: list[str]) -> None:
    """Enqueue an e-mail in the caller's transaction (sent by the worker once it commits)."""
    send_email.defer(subject=subject, body=body, to=list(to))


# Registered here so the worker knows them (the queue discovers ``tasks`` modules).
from jobs.exports import build_export  # noqa: E402

__all__ = ["build_export", "send_email", "send_email_later"]
