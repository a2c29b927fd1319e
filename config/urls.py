from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from config import views
from corridors.views import auth

# The admin signs in through the site's own sign-in, which asks the superuser's second factor.
admin.site.login = auth.admin_login

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("prefs/text-size/", views.text_size, name="text_size"),
    # The two preference switches take no CSRF token, so public pages need no CSRF cookie
    # (and stay cacheable); all they can change is the visitor's own display preference.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    # Sign in and out and change one's own password; no self-service reset by e-mail:
    # staff reset passwords in person (residents rarely have e-mail, and a reset link is a
    # way in that nobody watches).
    path("accounts/login/", auth.SignInView.as_view(), name="login"),
    # The second step for street staff, finance approvers and the superuser (TOTP or a recovery code).
    path("accounts/login/second-factor/", auth.second_factor, name="second_factor"),
    path("accounts/login/second-factor/set-up/", auth.second_factor_enrol, name="second_factor_enrol"),
    path("accounts/recovery-codes/", auth.recovery_codes, name="recovery_codes"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # The superuser's page of background jobs (waiting, failed, retry).
    path("manage/jobs/", include("jobs.urls")),
    path("funds/", include("funds.urls")),
    path("consultations/", include("consultations.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("", include("corridors.urls")),
]

if settings.SERVE_PUBLIC_MEDIA:
    # The quick start only: behind nginx, nginx serves /media/public/ (or the public bucket
    # does). Public pictures only: private files are in another store and have no URL.
    urlpatterns += [path("media/public/<path:name>", views.public_media, name="public_media")]
