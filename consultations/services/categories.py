"""Request categories: each street keeps its own list (add, rename, stop or resume offering)."""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from common.refusals import Refused
from consultations.models import Category
from corridors.models import Street, User
from corridors.selectors import require_street_staff

DEFAULT_CATEGORIES = ["电梯", "垃圾分类", "房屋维修", "绿化", "停车", "安全", "其他"]


def _exists() -> Refused:
    return Refused(_("This category already exists."), field="name")


def _clean_name(street_id: int, name: str, exclude_pk: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise Refused(_("Please give the category a name."), field="name")
    if Category.objects.filter(street_id=street_id, name=name).exclude(pk=exclude_pk).exists():
        raise _exists()
    return name


@transaction.atomic
def category_ensure_defaults(*, street: Street) -> None:
    """Give a street the default category list once; the street edits it afterwards."""
    if Category.objects.filter(street=street).exists():
        return
    Category.objects.bulk_create(
        Category(street=street, name=name, position=i) for i, name in enumerate(DEFAULT_CATEGORIES)
    )


@transaction.atomic
def category_add(*, actor: User, street: Street, name: str) -> Category:
    """A new category at the end of the street's list."""
    require_street_staff(actor, street.pk)
    name = _clean_name(street.pk, name)
    position = (Category.objects.filter(street=street).aggregate(m=Max("position"))["m"] or 0) + 1
    try:
        # Two staff adding the same name at once: the unique constraint is the last line.
        with transaction.atomic():
            return Category.objects.create(street=street, name=name, position=position)
    except IntegrityError as exc:
        raise _exists() from exc


@transaction.atomic
def category_rename(*, actor: User, category: Category, name: str) -> Category:
    """Rename a category; its requests keep it (they point to the category, not the name)."""
    require_street_staff(actor, category.street_id)
    # Two staff renaming the same category at once: the second renames what the first saved.
    locked = Category.objects.select_for_update().get(pk=category.pk)
    locked.name = _clean_name(locked.street_id, name, exclude_pk=locked.pk)
    try:
        with transaction.atomic():
            locked.save(update_fields=["name"])
    except IntegrityError as exc:
        raise _exists() from exc
    return locked


@transaction.atomic
def category_set_active(*, actor: User, category: Category, active: bool) -> Category:
    """An inactive category is no longer offered for new requests; existing requests keep it."""
    require_street_staff(actor, category.street_id)
    category.is_active = active
    category.save(update_fields=["is_active"])
    return category
