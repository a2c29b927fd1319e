from django.conf import settings


def site(request):
    """Values every layout needs: the large-text preference and the language list."""
    return {
        "large_text": request.COOKIES.get("text_size") == "large",
        "LANGUAGES_AVAILABLE": settings.LANGUAGES,
    }
