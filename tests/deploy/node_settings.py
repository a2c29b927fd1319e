"""An app node of the multi-node test: the production settings (from the environment the
test gives it), plus a page wired to the page cache and the tests' password hasher."""

from django.conf import global_settings

from config.settings import *  # noqa: F403
from config.settings import STORAGES

# The test world's users are made with the test settings' fast hasher.
PASSWORD_HASHERS = [*global_settings.PASSWORD_HASHERS, "django.contrib.auth.hashers.MD5PasswordHasher"]
# nginx serves /static/ in production; the test needs no collected files.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
ROOT_URLCONF = "tests.deploy.node_urls"
