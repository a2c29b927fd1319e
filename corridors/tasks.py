"""The corridors app's jobs (found by the queue's autodiscovery): notification channels."""

from corridors.channels import post_webhook, send_sms

__all__ = ["post_webhook", "send_sms"]
