"""A page someone may not use answers 403 and says why, in Chinese (declared once in ``corridors/rules.py``).

The expected sentences are written here, not read from the code, so a permission that loses
its reason (a bare 403) or a reason left untranslated fails.
"""

import pytest
from django.urls import reverse

from corridors.workflows.application import State
from tests.corridors.test_application_workflow import make_application, make_year
from tests.corridors.test_gallery import make_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def things(world):
    year = make_year(world.street)
    return {
        "application": make_application(world, year, state=State.IN_CREATION),
        "work": make_work(world.g1, world.leo),
    }


# (who, method, url name, args from the world, the reason the page must show)
FORBIDDEN = [
    ("leo", "get", "places:groups", None, "街道的各类清单仅供该街道办工作人员和区级、市级用户查看。"),
    ("leo", "get", "people:list", None, "只有街道工作人员可以管理账号和角色。"),
    ("carl", "get", "places:neighbourhood_edit", "n1", "只有本街道的工作人员可以修改。"),
    ("carl", "get", "applications:list", None, "街道的各类清单仅供该街道办工作人员和区级、市级用户查看。"),
    ("leo", "get", "applications:queue", None, "只有居委会干部可以审核本居民区的申报。"),
    ("carl", "get", "applications:new", "g1", "只有本楼组的楼组长可以填写申报。"),
    ("carl", "get", "applications:edit", "application", "只有本楼组的楼组长可以修改申报，且仅限草稿或退回修改状态。"),
    ("alice", "post", "applications:progress_photo_add", "application", "只有本楼组的楼组长可以发布楼道的进展照片。"),
    ("leo", "get", "programme:home", None, "只有街道工作人员可以设置评选年度和主题。"),
    ("carl", "get", "gallery:work_edit", "work", "只有本楼组的楼组长可以添加、修改和发布展廊作品。"),
    ("leo", "get", "gallery:work_hide", "work", "只有街道办和所在居委会可以隐藏作品或重新显示。"),
    ("rita", "get", "gallery:index", None, "展廊管理页面仅供楼组长、居委会和街道工作人员使用。"),
]


@pytest.mark.parametrize(("who", "method", "name", "arg", "reason"), FORBIDDEN, ids=[f[2] for f in FORBIDDEN])
def test_a_forbidden_page_says_why_in_chinese(world, things, as_user, who, method, name, arg, reason):
    target = things.get(arg) or getattr(world, arg, None) if arg else None
    url = reverse(name, args=[target.pk] if target else [])
    response = getattr(as_user(getattr(world, who)), method)(url)
    assert response.status_code == 403
    page = response.content.decode()
    assert "您无权进行此操作" in page
    assert reason in page
