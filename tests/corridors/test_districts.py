"""The district (区) above the street, and who sees which streets (``streets_for_user``)."""

import pytest
from django.db import IntegrityError

from corridors.models import District, Oversight, Street
from corridors.selectors import scope_of, staff_streets_for_user, streets_for_user
from corridors.services.second_factor import needs_second_factor
from tests import factories as f

pytestmark = pytest.mark.django_db


def _names(queryset):
    return sorted(queryset.values_list("name", flat=True))


def test_a_street_belongs_to_one_district_and_names_are_unique_within_it(world):
    assert world.street.district.name == "杨浦区"
    huangpu = District.objects.create(name="黄浦区")
    # The same street name in another district is another street...
    Street.objects.create(name="四平路街道", district=huangpu)
    # ...but not twice in one district.
    with pytest.raises(IntegrityError):
        Street.objects.create(name="四平路街道", district=world.street.district)


def test_streets_for_user_staff_district_city_and_nobody(world):
    huangpu = District.objects.create(name="黄浦区")
    bund = Street.objects.create(name="外滩街道", district=huangpu)
    dora = f.UserFactory(username="dora")
    Oversight.objects.create(user=dora, district=world.street.district)
    cecil = f.UserFactory(username="cecil")
    Oversight.objects.create(user=cecil, district=None)

    assert _names(streets_for_user(world.alice)) == ["四平路街道"]
    assert _names(streets_for_user(dora)) == sorted(["控江路街道", "四平路街道"])
    assert _names(streets_for_user(cecil)) == sorted(["控江路街道", "四平路街道", bund.name])
    assert _names(streets_for_user(world.leo)) == []
    assert _names(streets_for_user(world.nobody)) == []
    # Seeing is not changing: a district or city user is staff of no street.
    assert not staff_streets_for_user(dora).exists()
    assert not scope_of(cecil).staff_streets


def test_district_and_city_users_sign_in_with_a_second_factor(world):
    dora = f.UserFactory(username="dora")
    assert not needs_second_factor(dora)
    Oversight.objects.create(user=dora, district=world.street.district)
    assert needs_second_factor(dora)
