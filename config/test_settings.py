"""Settings for the test suite: fast hashing, mail kept in memory, plain static files."""

import tempfile
from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="corridors-test-media-"))
WHITENOISE_AUTOREFRESH = True
DEBUG = False
