from django.conf import settings


def site(request):
    """Values every layout needs: the large-text preference and the language list."""
    return {
        "large_text": request.COOKIES.get("text_size") == "large",
        "LANGUAGES_AVAILABLE": settings.LANGUAGES,
    }


def perms(request):
    """``perms`` for templates through ``common.permissions.has_declared_perm``, each answer
    asked once per page (after Django's ``auth`` processor, whose ``perms`` it replaces)."""
    from django.contrib.auth.models import AnonymousUser

    from common.permissions import DeclaredPermWrapper

    return {"perms": DeclaredPermWrapper(getattr(request, "user", None) or AnonymousUser())}
