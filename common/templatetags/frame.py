"""``{% fixed_url "name" %}``: ``{% url %}`` for the layouts' links, which take no arguments.

Such a link is the same on every page (a function of the URL configuration and the address
prefix only), but ``reverse()`` costs 0.05–0.15 ms each time, and every page's layout has
four to eight of them. Each is reversed once per process here (as Django's cached template
loader keeps templates); the key holds the prefix and the URL configuration, so nothing a
request or the database says can change it.
"""

import functools

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()


@functools.lru_cache(maxsize=256)
def _reversed(name: str, prefix: str, urlconf) -> str:
    return reverse(name, urlconf=urlconf)


@register.simple_tag
def fixed_url(name: str) -> str:
    return _reversed(name, get_script_prefix(), get_urlconf())


@receiver(setting_changed)
def _forget(**kwargs):
    if kwargs["setting"] in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME"}:
        _reversed.cache_clear()
