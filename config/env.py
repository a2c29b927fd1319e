"""Reading settings from the environment, with safe defaults."""

import os
import secrets
from pathlib import Path


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def secret_key(base_dir: Path) -> str:
    """SECRET_KEY from the environment, else a random key kept in a local, git-ignored file.

    A fresh clone therefore never runs with a key that is published in the repository.
    """
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = base_dir / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()
