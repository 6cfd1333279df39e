"""Template context every page shares: the "as of" date, demo mode, the user's scope."""

from django.conf import settings


def dangbo(request):
    return {
        "DEMO": settings.DEMO,
        "as_of": getattr(request, "as_of", None),
        "as_of_error": getattr(request, "as_of_error", None),
        "as_of_is_today": getattr(request, "as_of_is_today", True),
    }
