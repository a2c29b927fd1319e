from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from config import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("prefs/text-size/", views.text_size, name="text_size"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("funds/", include("funds.urls")),
    path("consultations/", include("consultations.urls")),
    path("", include("corridors.urls")),
]

if settings.SERVE_PUBLIC_MEDIA:
    # Public pictures only: private files live outside this folder and have no URL.
    urlpatterns += [
        re_path(r"^media/public/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT / "public"}),
    ]
