"""What keeps a served site safe to run on several nodes: a shared SECRET_KEY is required,
the demo refuses a production configuration, request ids are followed through the logs,
and the login throttle sees the visitor's address, not nginx's."""

import io
import logging
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from common.middleware import RequestIDLogFilter, client_ip
from corridors.models import User
from tests.deploy.servers import ROOT


def settings_import(env: dict) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "HTTPS", "DEBUG", "ALLOWED_HOSTS"}}
    return subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "env",
    [{"HTTPS": "true"}, {"DEBUG": "false", "ALLOWED_HOSTS": "corridors.example"}],
    ids=["https", "public-host"],
)
def test_a_served_site_refuses_to_start_without_secret_key(env):
    result = settings_import(env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr and "every app node" in result.stderr


def test_with_the_secret_key_set_or_on_a_laptop_the_settings_load():
    assert settings_import({"HTTPS": "true", "SECRET_KEY": "x" * 50}).returncode == 0
    assert settings_import({}).returncode == 0  # localhost only: the local key file


@pytest.mark.django_db
def test_load_demo_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", stdout=io.StringIO())
    assert not User.objects.filter(username="staff").exists()


@pytest.mark.django_db
def test_every_response_carries_a_request_id_kept_from_nginx_or_made_up(client, settings):
    settings.NODE_NAME = "node-a"
    given = client.get("/healthz", headers={"x-request-id": "0123456789abcdef0123456789abcdef"})
    assert given["X-Request-ID"] == "0123456789abcdef0123456789abcdef"
    assert given["X-Served-By"] == "node-a"
    made = client.get("/healthz")
    assert len(made["X-Request-ID"]) == 32 and made["X-Request-ID"] != given["X-Request-ID"]
    # Something that could forge a log line is replaced, not echoed.
    forged = client.get("/healthz", headers={"x-request-id": 'x" 200 "evil'})
    assert forged["X-Request-ID"] != 'x" 200 "evil'


def test_log_lines_outside_a_request_say_so():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    assert RequestIDLogFilter().filter(record) and record.request_id == "-"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "127.0.0.1"),  # no proxy: the header is the visitor's own claim
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # a forged first entry is ignored
        (1, "", "127.0.0.1"),
        (2, "203.0.113.9, 10.0.0.2", "203.0.113.9"),
    ],
)
def test_the_login_throttle_sees_the_address_the_last_trusted_proxy_saw(settings, count, forwarded, expected):
    settings.PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
