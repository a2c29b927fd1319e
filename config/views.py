"""Site-wide views that belong to no domain: health checks, the text-size preference and
public media in the quick start."""

import mimetypes

from django.core.exceptions import SuspiciousFileOperation
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from common.http import safe_next
from common.uploads import public_storage


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


@csrf_exempt
@require_POST
def text_size(request):
    """The large-text toggle: a cookie, so it persists without an account or a script.

    No CSRF token: a forged click can only change the visitor's own text size, and public
    pages then need no CSRF cookie (so they can be cached and shared).
    """
    response = HttpResponseRedirect(safe_next(request, "/", use_referer=True))
    if request.POST.get("size") == "large":
        response.set_cookie("text_size", "large", max_age=365 * 24 * 3600, samesite="Lax")
    else:
        response.delete_cookie("text_size")
    return response


@require_GET
def public_media(request, name):
    """A public picture from the public store (quick start; nginx serves these in production)."""
    storage = public_storage()
    try:
        handle = storage.open(name, "rb")
    except (FileNotFoundError, IsADirectoryError, SuspiciousFileOperation, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
