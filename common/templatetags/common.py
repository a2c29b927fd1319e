"""Template helpers used across apps: query strings, money, masking, sortable headers."""

from django import template
from django.utils.html import format_html

from common import money
from common.masking import mask_name, mask_phone
from common.submitonce import FIELD, new_token

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **changes):
    """The current query string with some parameters replaced (for pagination and sorting)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value == "":
            # An empty value drops the parameter (a keyset page's other cursor, the old page number).
            query.pop(key, None)
        else:
            query[key] = value
    if "sort" in changes:
        query.pop("page", None)
    return query.urlencode()


@register.simple_tag(takes_context=True)
def sort_link(context, key, label):
    """A column header that sorts by ``key``, toggling direction, with an arrow when active."""
    current = context.get("sort", "")
    if current == key:
        target, arrow = f"-{key}", " ▲"
    elif current == f"-{key}":
        target, arrow = key, " ▼"
    else:
        target, arrow = key, ""
    return format_html('<a href="?{}">{}{}</a>', query_replace(context, sort=target), label, arrow)


@register.filter
def yuan(value):
    """Money as ¥1,234.50 (two places, grouped)."""
    return money.yuan(value)


@register.filter
def yuan_in_words(value):
    """Money in capital numerals (大写金额) for vouchers."""
    return money.yuan_in_words(value)


@register.filter
def masked_name(value):
    return mask_name(str(value or ""))


@register.filter
def masked_phone(value):
    return mask_phone(str(value or ""))


@register.simple_tag
def submit_once():
    """The hidden one-time token of a form that creates something (``common.submitonce``)."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())
