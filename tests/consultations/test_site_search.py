"""The one search box across everything a signed-in person may see (issue 15 item 6)."""

from django.urls import reverse

from tests.consultations.conftest import file_request


def _search(as_user, user, q):
    response = as_user(user).get(reverse("search"), {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def test_a_word_inside_a_request_is_found_by_staff_of_its_street_only(cw, as_user):
    w = cw.w
    found = file_request(cw, title="三部电梯经常罢工", text="居民反映已经很久了")
    other = file_request(cw, title="门禁坏了", text="晚上回家不安全")
    page = _search(as_user, w.alice, "电梯")
    assert "三部电梯经常罢工" in page
    assert reverse("consultations:request", args=[found.pk]) in page
    assert "门禁坏了" not in page
    # By its number too.
    assert "门禁坏了" in _search(as_user, w.alice, str(other.pk))
    # Staff of another street, and a resident with no role, find nothing of it.
    assert "三部电梯经常罢工" not in _search(as_user, w.bob, "电梯")
    assert "三部电梯经常罢工" not in _search(as_user, w.nobody, "电梯")


def test_groups_and_accounts_are_found_within_scope(cw, as_user):
    w = cw.w
    page = _search(as_user, w.alice, "单元")
    assert str(w.g1) in page and str(w.g2) in page
    assert str(w.g_other) not in page
    # Accounts by username, shown with the name masked.
    page = _search(as_user, w.alice, "leo")
    assert reverse("people:detail", args=[w.leo.pk]) in page
    assert "leo姓名" not in page
    # A leader sees their own group, not the street's other groups, and no accounts.
    page = _search(as_user, w.leo, "单元")
    assert str(w.g1) in page and str(w.g2) not in page
    assert reverse("people:detail", args=[w.lena.pk]) not in _search(as_user, w.leo, "lena")


def test_nothing_found_says_so(cw, as_user):
    page = _search(as_user, cw.w.alice, "不存在的东西")
    assert "不存在的东西" in page
