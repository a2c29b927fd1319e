"""The officer reads the resident's request before the forms that act on it (issue 14)."""

import pytest

from tests.consultations.conftest import file_request

pytestmark = pytest.mark.django_db


def test_the_request_comes_before_the_action_forms(cw, as_user):
    request = file_request(cw)
    body = as_user(cw.w.otto).get(request.get_absolute_url()).content.decode()
    assert "data-step=" in body, "the officer has steps to take on a new request"
    assert "电梯经常停运，老人上下楼困难。" in body
    assert body.index("data-request-text") < body.index("data-step=")
    assert body.index("电梯经常停运，老人上下楼困难。") < body.index("data-step=")
