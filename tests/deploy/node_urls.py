"""The site's URLs plus a public page on the page cache and a way to bump it, so the
multi-node test can check the shared cache without depending on which app pages are wired."""

from django.conf import settings
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from common.pagecache import bump, public_page
from config.urls import urlpatterns as site_urlpatterns
from corridors.models import BuildingGroup


@public_page(depends=lambda request, pk: [("group", pk)])
def cached_group(request, pk):
    group = BuildingGroup.objects.get(pk=pk)
    return HttpResponse(f"{group.name} rendered by {settings.NODE_NAME}", content_type="text/plain; charset=utf-8")


@csrf_exempt
@require_POST
def bump_group(request, pk):
    bump("group", pk)
    return HttpResponse("bumped", content_type="text/plain")


def unavailable(request):
    """A page that answers 503 on purpose, as the poster does without a usable SITE_URL."""
    return HttpResponse("not printable here", status=503, content_type="text/plain")


urlpatterns = [
    path("_test/cached/<int:pk>/", cached_group),
    path("_test/unavailable/", unavailable),
    path("_test/bump/<int:pk>/", bump_group),
    path("", include(site_urlpatterns)),
]
