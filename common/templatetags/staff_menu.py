"""``{% staff_menu %}``: the staff layout's menu items, drawn once per kind of reader.

The menu is some thirty links, each a URL reversed and a word translated, on every staff
page: 2–3 ms of CPU each time. What it shows depends on nothing but the reader's answers to
the permissions it asks, whether they are the superuser, the language and the address
prefix, all of them in the key here, so the drawn menu is kept per process (as Django's
cached template loader keeps templates) and a second reader of the same kind, or the same
reader's next page, gets it without the template. It holds no data of the database: a role
given or taken away changes the answers, hence the key, on the very next page.
"""

import functools
import re

from django import template
from django.contrib.auth.models import AnonymousUser
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import get_template, render_to_string
from django.urls import get_script_prefix
from django.utils.translation import get_language

from common.permissions import DeclaredPermWrapper

register = template.Library()

TEMPLATE = "includes/staff_menu.html"


@functools.cache
def asked_permissions() -> tuple[str, ...]:
    """Every ``perms.<app>.<action>`` the menu's template asks, in the order written."""
    source = get_template(TEMPLATE).template.source  # type: ignore[attr-defined]  # the Django backend's
    return tuple(dict.fromkeys(f"{app}.{action}" for app, action in re.findall(r"perms\.(\w+)\.(\w+)", source)))


@functools.lru_cache(maxsize=1024)
def _drawn(language: str, prefix: str, superuser: bool, granted: frozenset[str]) -> str:
    perms: dict[str, dict[str, bool]] = {}
    for name in granted:
        app, action = name.split(".")
        perms.setdefault(app, {})[action] = True
    return render_to_string(TEMPLATE, {"perms": perms, "user": {"is_superuser": superuser}})


@register.simple_tag(takes_context=True)
def staff_menu(context) -> str:
    user = context.get("user") or AnonymousUser()
    perms = context.get("perms")
    if not isinstance(perms, DeclaredPermWrapper):
        perms = DeclaredPermWrapper(user)
    granted = frozenset(name for name in asked_permissions() if perms.has(name))
    superuser = bool(user.is_superuser)
    return _drawn(get_language(), get_script_prefix(), superuser, granted)


@receiver(setting_changed)
def _forget(**kwargs):
    if kwargs["setting"] in {"ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE", "TEMPLATES", "FORCE_SCRIPT_NAME"}:
        _drawn.cache_clear()
        asked_permissions.cache_clear()
