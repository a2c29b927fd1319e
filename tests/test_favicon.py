"""Every page names its icon, so browsers stop asking for /favicon.ico."""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse


def test_pages_link_the_svg_favicon(db, client):
    body = client.get(reverse("public:home")).content.decode()
    assert f'<link rel="icon" href="{settings.STATIC_URL}favicon.svg"' in body
    path = finders.find("favicon.svg")
    assert path and Path(path).read_text(encoding="utf-8").lstrip().startswith("<svg")
