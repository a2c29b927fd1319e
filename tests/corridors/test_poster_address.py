"""The QR poster is not printed with an address residents' phones cannot open: a loopback or
private SITE_URL, or one the site does not answer to. Staff are told, in Chinese, what to set."""

import pytest
from django.urls import reverse
from django.utils import translation

from corridors.poster_address import poster_address_problem

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "site_url",
    ["http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]", "http://192.168.1.20", "http://0.0.0.0:8000"],
)
def test_a_local_site_url_prints_no_poster_and_staff_are_told_what_to_set(world, client, settings, site_url):
    settings.SITE_URL = site_url
    settings.ALLOWED_HOSTS = ["*"]
    settings.POSTER_ALLOW_LOCAL_ADDRESS = False
    client.force_login(world.leo)
    with translation.override("zh-hans"):
        response = client.get(reverse("public:poster", args=[world.g1.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert response.status_code == 503
    assert "poster-qr" not in html and "data-print" not in html
    assert "SITE_URL" in html and "ALLOWED_HOSTS" in html and "居民" in html


def test_a_site_url_the_site_does_not_answer_to_is_refused(world, client, settings):
    settings.SITE_URL = "https://louzu.example.cn"
    settings.ALLOWED_HOSTS = ["corridors.example.org"]
    with translation.override("en"):
        problem = poster_address_problem()
    assert "ALLOWED_HOSTS" in problem and "louzu.example.cn" in problem
    response = client.get(reverse("public:poster", args=[world.g1.pk]), HTTP_HOST="corridors.example.org")
    assert response.status_code == 503 and "poster-qr" not in response.content.decode()
    # A resident is not shown the server's settings, only whom to tell.
    assert "ALLOWED_HOSTS" not in response.content.decode()


@pytest.mark.parametrize("site_url", ["https://louzu.example.cn", "https://louzu.example.cn/", "http://58.246.1.1"])
def test_a_public_address_the_site_answers_to_prints(world, client, settings, site_url):
    settings.SITE_URL = site_url.rstrip("/")
    settings.ALLOWED_HOSTS = [".example.cn", "58.246.1.1", "testserver"]
    assert poster_address_problem() is None
    response = client.get(reverse("public:poster", args=[world.g1.pk]))
    assert response.status_code == 200 and "poster-qr" in response.content.decode()
