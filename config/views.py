"""Site-wide views that belong to no domain: health checks and the text-size preference."""

from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from common.http import safe_next


@never_cache
def healthz(request):
    """Liveness: answers without touching the database (the benchmark ceiling)."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def readyz(request):
    """Readiness: the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not ready", not a 500
        return JsonResponse({"database": "unavailable", "error": type(exc).__name__}, status=503)
    return JsonResponse({"database": "ok"})


@require_POST
def text_size(request):
    """The large-text toggle: a cookie, so it persists without an account or a script."""
    response = HttpResponseRedirect(safe_next(request, "/", use_referer=True))
    if request.POST.get("size") == "large":
        response.set_cookie("text_size", "large", max_age=365 * 24 * 3600, samesite="Lax")
    else:
        response.delete_cookie("text_size")
    return response
