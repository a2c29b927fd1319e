"""Punctuation that follows the reader's language (docs/glossary.md): a label's colon is
full-width in Chinese (“金额：”) and ": " in English. ``{% translate "Balance" %}{% colon %}``."""

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def colon():
    return "：" if (get_language() or "").startswith("zh") else ": "


@register.filter
def in_parens(value, suffix=""):
    """A value in brackets that follow the reader's language: ``{{ share|in_parens:"%" }}`` is
    “（30%）” in Chinese and “ (30%)” in English."""
    if value in (None, ""):
        return ""
    if (get_language() or "").startswith("zh"):
        return f"（{value}{suffix}）"
    return f" ({value}{suffix})"
