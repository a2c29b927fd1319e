"""From an empty database to a district that sees two streets, in a real browser.

The superuser (created as ``createsuperuser`` would) is walked from the home page through
district → two streets → their staff → a district user; the first street's staff imports
its whole tree from one spreadsheet; the district user sees both streets' groups, exports
the filtered list (read back with openpyxl: the rows on screen), finds an application of each
street's imported groups on the dashboard, and is refused every change.
"""

import io

import pytest
from openpyxl import load_workbook

from corridors.imports import import_street_tree
from corridors.models import BuildingGroup, District, Neighbourhood, Oversight, Role, RoleAssignment, Street, User
from corridors.services.applications import application_create
from corridors.services.people import role_assign
from tests import factories as f
from tests.conftest import browser_login
from tests.corridors.test_import import xlsx
from tests.corridors.test_street_tree_import import TREE_HEADERS, TREE_ROWS
from tests.funds.test_acceptance import programme_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_out(page):
    page.locator("form[action$='/accounts/logout/'] button").click()
    page.wait_for_load_state()


def _setup_form(page, action):
    return page.locator(f"form:has(input[name=action][value={action}])")


def _submit(form, page):
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def _account(form, username, full_name):
    form.locator("input[name$=username]").fill(username)
    form.locator("input[name$=full_name]").fill(full_name)
    form.locator("input[name$=password]").fill(f.PASSWORD)


def test_fresh_install_to_a_district_that_reads_two_streets(live_server, page):
    assert not Street.objects.exists()
    User.objects.create_superuser("root", "root@example.com", f.PASSWORD, full_name="系统管理员")
    base = live_server.url

    # The superuser's home walks them through the setup.
    browser_login(page, live_server, "root")
    page.goto(f"{base}/home/")
    page.locator("[data-first-run] a").click()
    page.wait_for_load_state()
    form = _setup_form(page, "district")
    form.locator("input[name=district-name]").fill("杨浦区")
    _submit(form, page)
    for name in ("四平路街道", "江浦路街道"):
        form = _setup_form(page, "street")
        form.locator("select[name=street-district]").select_option(label="杨浦区")
        form.locator("input[name=street-name]").fill(name)
        _submit(form, page)
    for street, username, full_name in (("四平路街道", "zhangmin", "张敏"), ("江浦路街道", "wangli", "王丽")):
        form = _setup_form(page, "appoint")
        form.locator("select[name=appoint-street]").select_option(label=street)
        form.locator("select[name=appoint-role]").select_option(Role.STREET_STAFF.value)
        _account(form, username, full_name)
        _submit(form, page)
    form = _setup_form(page, "oversight")
    form.locator("select[name=oversight-district]").select_option(label="杨浦区")
    _account(form, "dora", "区里的人")
    _submit(form, page)
    assert "尚未任命" not in page.content()

    district = District.objects.get(name="杨浦区")
    siping, jiangpu = (Street.objects.get(district=district, name=n) for n in ("四平路街道", "江浦路街道"))
    assert RoleAssignment.objects.filter(user__username="zhangmin", role=Role.STREET_STAFF, street=siping).exists()
    assert RoleAssignment.objects.filter(user__username="wangli", role=Role.STREET_STAFF, street=jiangpu).exists()
    assert Oversight.objects.filter(user__username="dora", district=district).exists()
    page.goto(f"{base}/home/")
    assert page.locator("[data-first-run]").count() == 0
    _sign_out(page)

    # The first street's staff member imports its whole tree from one spreadsheet.
    browser_login(page, live_server, "zhangmin")
    page.goto(f"{base}/manage/places/")
    page.locator("a[data-street-import]").click()
    page.wait_for_load_state()
    upload = xlsx(TREE_ROWS[:4], headers=TREE_HEADERS)
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "tree.xlsx", "mimeType": "application/octet-stream", "buffer": upload.read()}]
    )
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_load_state()
    assert Neighbourhood.objects.filter(street=siping).count() == 2
    assert "鞍山四村第一居民区" in page.content()
    _sign_out(page)
    # The second street's tree (by the service, as its staff would through the same page).
    other = [["控江居民区", "控江居委会", "控江一村", "8号", 6, 24, 0, None, "1单元", 24]]
    assert import_street_tree(street=jiangpu, file=xlsx(other, headers=TREE_HEADERS)).ok

    # A leader of an imported group in each street writes an application (by the service: the
    # application form has its own browser tests), so the dashboard has figures of the tree.
    for street, group_name, title in ((siping, "1单元", "鞍山四村楼道"), (jiangpu, "1单元", "控江一村楼道")):
        groups = BuildingGroup.objects.filter(building__compound__neighbourhood__street=street, name=group_name)
        group = groups.order_by("pk").first()
        leader = f.UserFactory(full_name=f"{title}楼组长")
        role_assign(user=leader, role=Role.LEADER, street=street, building_group=group)
        year = programme_year(street)
        application_create(
            actor=leader,
            group=group,
            programme_year=year,
            theme=street.themes.first(),
            title=title,
            plan="粉刷墙面。",
            convention="不堆放杂物。",
            households_agreed=group.households,
        )

    # The district user sees both streets' groups...
    browser_login(page, live_server, "dora")
    page.goto(f"{base}/home/")
    assert page.locator("[data-overseen-streets]").count() == 1
    page.goto(f"{base}/manage/places/groups/")
    text = page.locator("table").first.inner_text()
    assert "鞍山四村" in text and "控江一村" in text
    # ...filters them, and the export has exactly the rows on screen.
    page.goto(f"{base}/manage/places/groups/?q=12号")
    on_screen = page.locator("table tbody tr").count()
    assert on_screen == 2
    with page.expect_download() as download:
        page.locator("a[href*='groups/export.xlsx']").click()
    with open(download.value.path(), "rb") as downloaded:
        workbook = load_workbook(io.BytesIO(downloaded.read()))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) - 1 == on_screen
    assert all("12号" in " ".join(str(v) for v in row if v is not None) for row in rows[1:])

    # ...and both streets' imported groups in the dashboard's figures (its data table).
    page.goto(f"{base}/dashboards/")
    funnel = page.locator("table").filter(has_text="鞍山四村第一居民区").first.inner_text()
    assert "四平路街道 鞍山四村第一居民区" in funnel and "江浦路街道 控江居民区" in funnel

    # ...and may change neither street: the edit pages say why, and nothing changed.
    before = sorted(BuildingGroup.objects.values_list("pk", "name", "households"))
    for group in BuildingGroup.objects.all():
        response = page.goto(f"{base}/manage/places/groups/{group.pk}/edit/")
        assert response.status == 403 and "只有本街道的工作人员可以修改。" in page.content()
    for street in (siping, jiangpu):
        response = page.goto(f"{base}/manage/places/streets/{street.pk}/import/")
        assert response.status == 403 and "只有本街道的工作人员可以修改。" in page.content()
    assert sorted(BuildingGroup.objects.values_list("pk", "name", "households")) == before
