"""Reading settings from the environment, with safe defaults."""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1", "testserver"}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def secret_key(base_dir: Path, *, https: bool, debug: bool, allowed_hosts: list[str]) -> str:
    """SECRET_KEY from the environment, else (on a laptop only) a random key kept in a
    local, git-ignored file.

    A fresh clone therefore never runs with a key that is published in the repository. A
    served site must set it: two app nodes with a key file each would sign each other's
    sessions with different keys and log people out at random.
    """
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    public_hosts = [host for host in allowed_hosts if host not in LOCAL_HOSTS]
    if https or (not debug and public_hosts):
        reason = "HTTPS=true" if https else f"ALLOWED_HOSTS={','.join(public_hosts)}"
        raise ImproperlyConfigured(
            f"SECRET_KEY is not set. A site served to others ({reason}) needs the same SECRET_KEY on every "
            "app node: set it in the environment (see docs/operations.md, 'Environment')."
        )
    path = base_dir / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()
