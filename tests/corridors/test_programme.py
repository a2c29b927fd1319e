"""Programme set-up pages: street staff create and edit programme years (window, amounts,
consent share, pass rule, budget) and keep the theme list (add, rename, deactivate).
Other streets' years and themes are not found; other roles are refused."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from common.refusals import Refused
from corridors.models import ProgrammeYear, Theme
from corridors.services.applications import themes_ensure_defaults
from corridors.services.programme import programme_year_create, programme_year_update, theme_add

YEAR = {
    "year": 2031,
    "window_opens": "2031-03-01",
    "window_closes": "2031-05-31",
    "consent_numerator": 3,
    "consent_denominator": 4,
    "culture_fund_amount": "2500.00",
    "renovation_cap": "6000.00",
    "criterion_max": 20,
    "pass_total_min": 85,
    "pass_each_min": 13,
    "annual_budget": "300000.00",
}


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def test_staff_create_and_edit_a_programme_year(world, client):
    client.force_login(world.alice)
    response = client.post(reverse("programme:year_create"), {"street": world.street.pk, **YEAR})
    assert response.status_code == 302, response.content.decode()
    year = ProgrammeYear.objects.get(street=world.street, year=2031)
    assert (year.culture_fund_amount, year.renovation_cap, year.consent_share) == (
        Decimal("2500.00"),
        Decimal("6000.00"),
        3 / 4,
    )
    assert (year.pass_total_min, year.pass_each_min) == (85, 13)
    edit = client.get(reverse("programme:year_edit", args=[year.pk])).content.decode()
    assert 'value="2031-03-01"' in edit  # the date inputs show the saved dates
    client.post(reverse("programme:year_edit", args=[year.pk]), {**YEAR, "renovation_cap": "", "pass_total_min": 80})
    year.refresh_from_db()
    assert year.renovation_cap is None and year.pass_total_min == 80
    page = client.get(reverse("programme:home")).content.decode()
    assert 'data-year="2031"' in page


def test_invalid_years_are_explained(world, client):
    client.force_login(world.alice)
    bad = {**YEAR, "window_closes": "2031-02-01", "pass_each_min": 25}
    response = client.post(reverse("programme:year_create"), {"street": world.street.pk, **bad})
    assert response.status_code == 200
    assert not ProgrammeYear.objects.filter(year=2031).exists()
    client.post(reverse("programme:year_create"), {"street": world.street.pk, **YEAR})
    again = client.post(reverse("programme:year_create"), {"street": world.street.pk, **YEAR})
    assert "already has a programme for 2031" in again.content.decode()
    too_high = client.post(reverse("programme:year_create"), {"street": world.street.pk, **YEAR, "year": 2032,
                                                               "pass_total_min": 101})  # fmt: skip
    assert "cannot be above 100" in too_high.content.decode()


@pytest.mark.parametrize("persona", ["leo", "carl", "fay", "nobody"])
def test_other_roles_are_refused(world, client, persona):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("programme:home")).status_code == 403
    assert client.get(reverse("programme:year_create")).status_code == 403


def test_another_streets_year_and_theme_are_not_found(world, client):
    year = programme_year_create(
        actor=world.alice,
        street=world.street,
        year=2031,
        window_opens=datetime.date(2031, 3, 1),
        window_closes=datetime.date(2031, 5, 31),
    )
    theme = theme_add(actor=world.alice, street=world.street, name="摄影")
    client.force_login(world.bob)
    assert client.get(reverse("programme:year_edit", args=[year.pk])).status_code == 404
    assert client.post(reverse("programme:theme_rename", args=[theme.pk]), {"name": "x"}).status_code == 404
    assert client.post(reverse("programme:theme_add", args=[world.street.pk]), {"name": "x"}).status_code == 404
    with pytest.raises(Refused):
        theme_add(actor=world.bob, street=world.street, name="书法")


def test_themes_add_rename_deactivate(world, client):
    themes_ensure_defaults(street=world.street)
    client.force_login(world.alice)
    client.post(reverse("programme:theme_add", args=[world.street.pk]), {"name": "非遗手作"})
    theme = Theme.objects.get(street=world.street, name="非遗手作")
    assert theme.position == Theme.objects.filter(street=world.street).count() - 1
    duplicate = client.post(reverse("programme:theme_add", args=[world.street.pk]), {"name": "摄影"}, follow=True)
    assert "already has the theme" in duplicate.content.decode()
    client.post(reverse("programme:theme_rename", args=[theme.pk]), {"name": "非遗与手作"})
    client.post(reverse("programme:theme_toggle", args=[theme.pk]))
    theme.refresh_from_db()
    assert (theme.name, theme.is_active) == ("非遗与手作", False)
    client.post(reverse("programme:theme_toggle", args=[theme.pk]))
    theme.refresh_from_db()
    assert theme.is_active


@pytest.mark.parametrize("amount", ["0", "0.00", "-1"])
def test_a_culture_fund_of_nothing_is_refused(world, client, amount):
    client.force_login(world.alice)
    response = client.post(
        reverse("programme:year_create"), {"street": world.street.pk, **YEAR, "culture_fund_amount": amount}
    )
    assert response.status_code == 200
    assert "The culture fund per corridor must be more than ¥0.00" in response.content.decode()
    assert not ProgrammeYear.objects.filter(year=2031).exists()
    with pytest.raises(ValidationError) as refused:
        programme_year_create(
            actor=world.alice,
            street=world.street,
            year=2031,
            window_opens=datetime.date(2031, 3, 1),
            window_closes=datetime.date(2031, 5, 31),
            culture_fund_amount=Decimal(amount),
        )
    assert "culture_fund_amount" in refused.value.message_dict
    year = programme_year_create(
        actor=world.alice,
        street=world.street,
        year=2031,
        window_opens=datetime.date(2031, 3, 1),
        window_closes=datetime.date(2031, 5, 31),
    )
    with pytest.raises(ValidationError, match="more than ¥0.00"):
        programme_year_update(programme_year=year, actor=world.alice, culture_fund_amount=Decimal(amount))
    year.refresh_from_db()
    assert year.culture_fund_amount == Decimal("2000.00")


def test_the_service_validates_the_model(world):
    with pytest.raises(ValidationError):
        programme_year_create(
            actor=world.alice,
            street=world.street,
            year=2031,
            window_opens=datetime.date(2031, 5, 1),
            window_closes=datetime.date(2031, 3, 1),
        )


def test_the_page_keeps_its_query_count(world, client, count_queries):
    themes_ensure_defaults(street=world.street)
    client.force_login(world.alice)
    small = count_queries(client.get, reverse("programme:home"))
    for n in range(4):
        programme_year_create(
            actor=world.alice,
            street=world.street,
            year=2040 + n,
            window_opens=datetime.date(2040 + n, 3, 1),
            window_closes=datetime.date(2040 + n, 5, 31),
        )
        theme_add(actor=world.alice, street=world.street, name=f"主题{n}")
    assert count_queries(client.get, reverse("programme:home")) == small
