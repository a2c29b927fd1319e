"""Error pages speak Chinese and say what to do; a forbidden page explains itself."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_not_found_page_is_in_chinese(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "此页面不存在" in response.content.decode()


def test_forbidden_page_is_in_chinese(world, as_user):
    response = as_user(world.leo).get(reverse("people:list"))
    assert response.status_code == 403
    assert "您无权进行此操作" in response.content.decode()
