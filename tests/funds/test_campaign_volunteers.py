"""Volunteers in the working group: who records consents and payments (role × action matrix).

The table is the one in funds/selectors.py's docstring. Besides the shared personas:
mei, cody, pat and eli (no role) are linked working-group members of the campaign, mei on
the owners' side, cody on the residents' committee's, pat on the property company's (the
collector) and eli on the elevator maintenance unit's; vic is a linked member of another
building's campaign only. Owner names and phones are masked for everyone; the managers
and the members speaking for the owners (mei, cody) may reveal one for a stated purpose.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from funds.models import Payment, WorkingGroupMember
from funds.services.campaigns import working_group_member_add
from funds.services.consents import unit_record_consent
from funds.services.payments import payment_record
from tests import factories as f
from tests.funds.conftest import add_units, make_campaign

Side = WorkingGroupMember.Side

ACTIONS = ["view", "consent", "payment", "edit", "import", "correct_unit", "correct_payment", "publish", "names"]
# Status codes: 200 page, 302 done (redirect), 403 seen but not allowed, 404 not seen.
# "names": what the roll shows of the owner — full, masked, or nothing (404).
MATRIX = {
    "alice": (200, 302, 302, 200, 200, 200, 200, 302, "masked"),  # street staff
    "carl": (200, 302, 302, 200, 200, 200, 200, 302, "masked"),  # committee of N1
    "pat": (200, 302, 302, 403, 403, 403, 403, 403, "masked"),  # member, property company
    "eli": (200, 302, 403, 403, 403, 403, 403, 403, "masked"),  # member, elevator maintenance unit
    "mei": (200, 302, 403, 403, 403, 403, 403, 403, "masked"),  # member, owner representative
    "cody": (200, 302, 403, 403, 403, 403, 403, 403, "masked"),  # member, residents' committee side
    "leo": (200, 302, 403, 403, 403, 403, 403, 403, "masked"),  # leader of g1, in the building
    "rita": (200, 403, 403, 403, 403, 403, 403, 403, "masked"),  # representative of N1
    "lena": (404, 404, 404, 404, 404, 404, 404, 404, None),  # leader of another building
    "vic": (404, 404, 404, 404, 404, 404, 404, 404, None),  # member of another campaign
    "bob": (404, 404, 404, 404, 404, 404, 404, 404, None),
    "cindy": (404, 404, 404, 404, 404, 404, 404, 404, None),
    "otto": (404, 404, 404, 404, 404, 404, 404, 404, None),
    "nobody": (404, 404, 404, 404, 404, 404, 404, 404, None),
}


@pytest.fixture
def crew(world, campaign):
    """The campaign with 2 units (one paid ¥100 by alice), and the linked members."""
    units = add_units(campaign, 2)
    payment = payment_record(
        unit=units[1], amount=Decimal("100.00"), paid_on=date.today(), channel="cash", recorded_by=world.alice
    )
    people = {name: f.UserFactory(username=name) for name in ("mei", "cody", "pat", "eli")}
    working_group_member_add(
        campaign=campaign, actor=campaign.created_by, name="梅", side=Side.OWNERS, user=people["mei"]
    )
    working_group_member_add(
        campaign=campaign, actor=campaign.created_by, name="柯", side=Side.COMMITTEE, user=people["cody"]
    )
    working_group_member_add(
        campaign=campaign, actor=campaign.created_by, name="帕", side=Side.PROPERTY, user=people["pat"]
    )
    working_group_member_add(
        campaign=campaign, actor=campaign.created_by, name="伊", side=Side.ELEVATOR, user=people["eli"]
    )
    elsewhere = make_campaign(world, building=world.g2.building, created_by=world.cindy)
    people["vic"] = f.UserFactory(username="vic")
    working_group_member_add(
        campaign=elsewhere, actor=elsewhere.created_by, name="维", side=Side.PROPERTY, user=people["vic"]
    )
    return {"campaign": campaign, "unit": units[0], "payment": payment, "people": people}


def _do(client, action, crew):
    campaign, unit, payment = crew["campaign"], crew["unit"], crew["payment"]
    if action == "view":
        return client.get(reverse("funds:campaign", args=[campaign.pk])).status_code
    if action == "consent":
        return client.post(reverse("funds:unit_consent", args=[unit.pk]), {"status": "agree"}).status_code
    if action == "payment":
        data = {"amount": "10.00", "paid_on": date.today().isoformat(), "channel": "cash"}
        return client.post(reverse("funds:unit_payment", args=[unit.pk]), data).status_code
    if action == "edit":
        return client.get(reverse("funds:edit", args=[campaign.pk])).status_code
    if action == "import":
        return client.get(reverse("funds:import", args=[campaign.pk])).status_code
    if action == "correct_unit":
        return client.get(reverse("funds:unit_correct", args=[unit.pk])).status_code
    if action == "correct_payment":
        return client.get(reverse("funds:payment_correct", args=[payment.pk])).status_code
    if action == "publish":
        return client.post(reverse("funds:notice_publish", args=[campaign.pk]), {"published": "1"}).status_code
    if action == "names":
        response = client.get(reverse("funds:units", args=[campaign.pk]))
        if response.status_code != 200:
            return None
        html = response.content.decode()
        if "欧阳0号" in html and "13812340000" in html:
            return "full"
        assert "欧*" in html and "138****0000" in html
        return "masked"
    raise AssertionError(action)


@pytest.mark.parametrize("who", list(MATRIX))
@pytest.mark.parametrize("action", ACTIONS)
def test_role_action_matrix(world, crew, as_user, who, action):
    user = crew["people"].get(who) or getattr(world, who)
    expected = MATRIX[who][ACTIONS.index(action)]
    assert _do(as_user(user), action, crew) == expected, (who, action)


@pytest.mark.parametrize(("who", "allowed"), [("leo", True), ("mei", True), ("rita", False)])
def test_consent_recorded_by_the_volunteer_is_kept_with_their_name(world, crew, as_user, who, allowed):
    user = crew["people"].get(who) or getattr(world, who)
    unit = crew["unit"]
    as_user(user).post(reverse("funds:unit_consent", args=[unit.pk]), {"status": "agree", "note": "上门"})
    unit.refresh_from_db()
    assert (unit.consent_status == "agree") is allowed
    if allowed:
        assert unit.consents.get().recorded_by == user


def test_volunteer_pages_show_what_they_may_do(world, crew, as_user):
    unit_url = reverse("funds:unit", args=[crew["unit"].pk])
    html = as_user(world.leo).get(unit_url).content.decode()
    assert reverse("funds:unit_consent", args=[crew["unit"].pk]) in html
    assert reverse("funds:unit_payment", args=[crew["unit"].pk]) not in html
    assert reverse("funds:unit_correct", args=[crew["unit"].pk]) not in html
    assert "欧阳0号" not in html and "欧*" in html  # the leader sees the owner masked
    html = as_user(crew["people"]["pat"]).get(unit_url).content.decode()
    assert reverse("funds:unit_payment", args=[crew["unit"].pk]) in html
    # The collector works from the unit and the amount: the owner stays masked.
    assert "欧阳0号" not in html and "13812340000" not in html and "欧*" in html
    html = as_user(crew["people"]["mei"]).get(unit_url).content.decode()
    assert "欧阳0号" not in html and "13812340000" not in html
    assert reverse("funds:unit_reveal", args=[crew["unit"].pk]) in html  # on purpose, recorded
    roll = as_user(world.leo).get(reverse("funds:units", args=[crew["campaign"].pk])).content.decode()
    assert reverse("funds:unit_consent", args=[crew["unit"].pk]) in roll
    roll = as_user(world.rita).get(reverse("funds:units", args=[crew["campaign"].pk])).content.decode()
    assert reverse("funds:unit_consent", args=[crew["unit"].pk]) not in roll


def test_the_reason_of_a_refusal_is_shown(world, crew, as_user):
    response = as_user(world.leo).post(
        reverse("funds:unit_payment", args=[crew["unit"].pk]),
        {"amount": "10.00", "paid_on": date.today().isoformat(), "channel": "cash"},
    )
    assert response.status_code == 403
    assert "物业" in response.content.decode() or "property company" in response.content.decode()


def test_collector_payment_lands_in_the_money_log(world, crew, as_user):
    pat = crew["people"]["pat"]
    as_user(pat).post(
        reverse("funds:unit_payment", args=[crew["unit"].pk]),
        {"amount": "1500.00", "paid_on": date.today().isoformat(), "channel": "wechat"},
    )
    payment = Payment.objects.get(unit=crew["unit"])
    assert payment.recorded_by == pat and payment.amount == Decimal("1500.00")


def test_members_without_a_role_find_the_campaign_in_their_list(world, crew, as_user):
    html = as_user(crew["people"]["mei"]).get(reverse("funds:list")).content.decode()
    assert crew["campaign"].get_absolute_url() in html
    html = as_user(crew["people"]["vic"]).get(reverse("funds:list")).content.decode()
    assert crew["campaign"].get_absolute_url() not in html
    assert as_user(world.nobody).get(reverse("funds:list")).status_code == 403


def test_manager_links_a_member_by_user_name(world, campaign, as_user):
    f.UserFactory(username="zhangyi")
    client = as_user(world.carl)
    url = reverse("funds:member_add", args=[campaign.pk])
    client.post(url, {"name": "张怡", "side": "owners", "username": "zhangyi"})
    member = campaign.members.get()
    assert member.user.username == "zhangyi"
    client.post(url, {"name": "张怡", "side": "owners", "username": "zhangyi"})  # the same account twice
    client.post(url, {"name": "某人", "side": "owners", "username": "no-such-user"})
    assert campaign.members.count() == 1
    client.post(url, {"name": "刘建国", "side": "property", "username": ""})  # listed without an account
    assert campaign.members.filter(user__isnull=True).count() == 1
    assert as_user(world.leo).post(url, {"name": "x", "side": "owners"}).status_code == 403


def test_removing_a_member_takes_their_access_away(world, crew, as_user):
    mei = crew["people"]["mei"]
    member = crew["campaign"].members.get(user=mei)
    as_user(world.alice).post(reverse("funds:member_remove", args=[member.pk]))
    response = as_user(mei).get(reverse("funds:campaign", args=[crew["campaign"].pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["leo", "mei"])
def test_volunteer_pages_query_count_does_not_grow(world, crew, as_user, count_queries, who):
    user = crew["people"].get(who) or getattr(world, who)
    campaign = crew["campaign"]
    client = as_user(user)
    urls = [reverse(f"funds:{name}", args=[campaign.pk]) for name in ("campaign", "units", "collection")]
    for url in urls:
        client.get(url)  # warm caches
    small = [count_queries(client.get, url) for url in urls]
    units = add_units(campaign, 30, start=2)
    for unit in units[:20]:
        unit_record_consent(unit=unit, status="agree", recorded_by=world.alice)
    for i in range(5):  # more members, with accounts, on the campaign page
        working_group_member_add(
            campaign=campaign,
            actor=campaign.created_by,
            name=f"志愿者{i}",
            side=Side.OWNERS,
            user=f.UserFactory(username=f"v{i}"),
        )
    assert [count_queries(client.get, url) for url in urls] == small


def test_a_volunteer_with_no_role_finds_the_door_to_door_visits_on_the_home_page(crew, client):
    client.force_login(crew["people"]["mei"])
    page = client.get(reverse("home")).content.decode()
    assert reverse("funds:door", args=[crew["campaign"].pk]) in page
    assert "上门征询" in page
    # Not told to ask for a role: their work is there.
    assert "您的账号还没有角色" not in page
    # A member of another campaign sees only theirs.
    client.force_login(crew["people"]["vic"])
    assert reverse("funds:door", args=[crew["campaign"].pk]) not in client.get(reverse("home")).content.decode()
