"""Small public pages for the page-cache tests, on the site's public layout (with its
language and text-size switches): one counts its renders and shows a value a test changes
behind the cache's back; one holds a form with a CSRF token."""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from common.pagecache import public_page
from config.urls import urlpatterns as site_urlpatterns

RENDERS = {"count": 0}
SHOWN = {"text": "第一版"}

LAYOUT = '{% extends "layouts/public.html" %}{% block content %}BODY{% endblock content %}'
PAGE = LAYOUT.replace("BODY", "<h1>楼组 {{ pk }}</h1><p>{{ text }}</p>")
FORM = LAYOUT.replace("BODY", '<form method="post">{% csrf_token %}</form>')


def _render(request, source, context):
    return HttpResponse(engines["django"].from_string(source).render(context, request))


@public_page(depends=lambda request, pk: [("group", pk)])
def group_page(request, pk):
    RENDERS["count"] += 1
    return _render(request, PAGE, {"pk": pk, "text": SHOWN["text"]})


@public_page(depends=lambda request, pk: [("group", pk)])
def page_with_form(request, pk):
    return _render(request, FORM, {})


urlpatterns = [
    path("cached/<int:pk>/", group_page, name="cached_group"),
    path("cached-form/<int:pk>/", page_with_form, name="cached_form"),
    path("", include(site_urlpatterns)),
]
