"""Settings for the test suite: fast hashing, mail kept in memory, plain static files."""

import tempfile
from pathlib import Path

from config.env import env_str
from config.settings import *  # noqa: F403
from config.settings import BASE_DIR, STORAGES

if not env_str("DATABASE_URL"):
    # The quick start's server as its superuser: the test runner creates and drops databases.
    from config.embedded_db import embedded_database

    DATABASES = {
        "default": embedded_database(
            Path(env_str("PGDATA_DIR", str(BASE_DIR / ".pgdata"))), env_str("DATABASE_NAME", "corridors")
        )
    }

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="corridors-test-media-"))
WHITENOISE_AUTOREFRESH = True
DEBUG = False

if "RedisCache" in CACHES["default"]["BACKEND"]:  # noqa: F405
    # Each test process (each xdist worker) keeps its entries under a prefix of its own, so the
    # fixtures can empty its cache between tests without touching anyone else's in that Redis.
    import uuid

    CACHES["default"]["KEY_PREFIX"] = f"{CACHES['default']['KEY_PREFIX']}-test-{uuid.uuid4().hex[:12]}"  # noqa: F405
