"""Template context every page shares: the "as of" date, demo mode, the user's scope."""

from django.conf import settings

from dangbo.core.access import can_see_personal_data


def dangbo(request):
    return {
        "DEMO": settings.DEMO,
        "as_of": getattr(request, "as_of", None),
        "as_of_error": getattr(request, "as_of_error", None),
        "as_of_is_today": getattr(request, "as_of_is_today", True),
        # Called by the template only where needed (one query).
        "can_see_personal": lambda: can_see_personal_data(request.user),
    }
