"""A fresh install: the superuser sets up district → street → staff in the app, or a script
does it with ``manage.py setup_street``; both refuse anyone else and are idempotent."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from corridors.models import District, Oversight, Role, RoleAssignment, Street, User
from corridors.services.second_factor import needs_second_factor
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", "root@example.com", "Root-pass-2026")


def test_a_fresh_install_walks_the_superuser_through_district_street_staff(root, client):
    client.force_login(root)
    home = client.get(reverse("home")).content.decode()
    assert "data-first-run" in home and reverse("districts:setup") in home

    url = reverse("districts:setup")
    response = client.post(url, {"action": "district", "district-name": " 杨浦区 "}, follow=True)
    assert "杨浦区" in response.content.decode()
    district = District.objects.get(name="杨浦区")
    client.post(url, {"action": "street", "street-district": district.pk, "street-name": "四平路街道"})
    street = Street.objects.get(name="四平路街道", district=district)
    response = client.post(
        url,
        {
            "action": "appoint",
            "appoint-street": street.pk,
            "appoint-role": Role.STREET_STAFF,
            "appoint-username": "zhangmin",
            "appoint-full_name": "张敏",
            "appoint-password": "Zhang-pass-2026",
        },
    )
    assert response.status_code == 302
    staff = User.objects.get(username="zhangmin")
    assert staff.check_password("Zhang-pass-2026")
    assert RoleAssignment.objects.filter(user=staff, role=Role.STREET_STAFF, street=street).exists()
    assert needs_second_factor(staff)
    # Done: the home page no longer walks them through it.
    assert "data-first-run" not in client.get(reverse("home")).content.decode()


def test_bad_input_on_the_setup_page_is_a_chinese_sentence_and_writes_nothing(root, client):
    client.force_login(root)
    url = reverse("districts:setup")
    district = District.objects.create(name="杨浦区")
    street = Street.objects.create(name="四平路街道", district=district)
    page = client.post(url, {"action": "district", "district-name": "杨浦区"}).content.decode()
    assert "区“杨浦区”已存在" in page
    page = client.post(
        url,
        {"action": "appoint", "appoint-street": street.pk, "appoint-role": Role.FINANCE, "appoint-username": "newbie"},
    ).content.decode()
    assert "还没有账号 newbie" in page
    assert not User.objects.filter(username="newbie").exists()
    # A weak password: no account, no role.
    client.post(
        url,
        {
            "action": "appoint",
            "appoint-street": street.pk,
            "appoint-role": Role.FINANCE,
            "appoint-username": "newbie",
            "appoint-full_name": "新人",
            "appoint-password": "123",
        },
    )
    assert not User.objects.filter(username="newbie").exists()
    assert District.objects.count() == 1


def test_only_the_superuser_uses_the_setup_page(world, client):
    for persona in (world.alice, world.fay, world.nobody):
        client.force_login(persona)
        response = client.post(reverse("districts:setup"), {"action": "district", "district-name": "黄浦区"})
        assert response.status_code == 403
        assert "只有系统管理员" in response.content.decode()
    assert not District.objects.filter(name="黄浦区").exists()


def test_a_district_user_made_on_the_page_reads_every_street_of_the_district(root, world, client):
    client.force_login(root)
    client.post(
        reverse("districts:setup"),
        {
            "action": "oversight",
            "oversight-district": world.street.district_id,
            "oversight-username": "dora",
            "oversight-full_name": "区里的人",
            "oversight-password": "Dora-pass-2026",
        },
    )
    dora = User.objects.get(username="dora")
    assert Oversight.objects.filter(user=dora, district=world.street.district).exists()
    # A street staff account cannot also be a district user (it would read as one and write as the other).
    page = client.post(
        reverse("districts:setup"),
        {"action": "oversight", "oversight-district": "", "oversight-username": "alice"},
    ).content.decode()
    assert "只读" in page
    assert not Oversight.objects.filter(user=world.alice).exists()


def _setup(*args):
    out = io.StringIO()
    call_command("setup_street", *args, stdout=out)
    return out.getvalue()


def test_setup_street_is_idempotent_and_speaks_chinese(db):
    args = ["--district", "杨浦区", "--street", "四平路街道", "--staff-username", "zhangmin",
            "--full-name", "zhangmin=张敏", "--staff-password", "Zhang-pass-2026"]  # fmt: skip
    first = _setup(*args)
    assert "已创建" in first
    counts = (District.objects.count(), Street.objects.count(), User.objects.count(), RoleAssignment.objects.count())
    second = _setup(*args)
    assert "已存在" in second and "已经是" in second
    assert (
        counts
        == (1, 1, 1, 1)
        == (
            District.objects.count(),
            Street.objects.count(),
            User.objects.count(),
            RoleAssignment.objects.count(),
        )
    )
    assert User.objects.get(username="zhangmin").full_name == "张敏"


def test_setup_street_refuses_a_new_account_without_a_password_and_writes_nothing(db, monkeypatch):
    monkeypatch.delenv("SETUP_STREET_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="账号 ghost 不存在"):
        _setup("--district", "杨浦区", "--street", "四平路街道", "--staff-username", "ghost")
    assert not District.objects.exists() and not Street.objects.exists()


def test_existing_streets_keep_working_with_a_district_user(world):
    dora = f.UserFactory(username="dora")
    Oversight.objects.create(user=dora, district=world.street.district)
    assert RoleAssignment.objects.filter(user=dora).count() == 0
