"""Request categories: each street keeps its own list (add, rename, stop or resume offering)."""

from django.utils.translation import gettext_lazy as _

from common import streetlists
from common.streetlists import ListWords
from consultations.models import Category
from corridors.models import Street, User
from corridors.selectors import require_street_staff

DEFAULT_CATEGORIES = ["电梯", "垃圾分类", "房屋维修", "绿化", "停车", "安全", "其他"]

CATEGORY_WORDS = ListWords(
    no_name=_("Please give the category a name."),
    taken=_("This category already exists."),
)


def category_ensure_defaults(*, street: Street) -> None:
    """Give a street the default category list once; the street edits it afterwards."""
    streetlists.entries_ensure_defaults(Category, street_id=street.pk, names=DEFAULT_CATEGORIES)


def category_add(*, actor: User, street: Street, name: str) -> Category:
    """A new category at the end of the street's list."""
    require_street_staff(actor, street.pk)
    return streetlists.entry_add(Category, street_id=street.pk, name=name, words=CATEGORY_WORDS)


def category_rename(*, actor: User, category: Category, name: str) -> Category:
    """Rename a category; its requests keep it (they point to the category, not the name)."""
    require_street_staff(actor, category.street_id)
    return streetlists.entry_rename(Category, entry=category, name=name, words=CATEGORY_WORDS)


def category_set_active(*, actor: User, category: Category, active: bool) -> Category:
    """An inactive category is no longer offered for new requests; existing requests keep it."""
    require_street_staff(actor, category.street_id)
    return streetlists.entry_set_active(Category, entry=category, active=active)
