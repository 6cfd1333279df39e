"""Template context every page shares: the "as of" date, demo mode, the user's scope."""

from django.conf import settings

from dangbo.core.access import can_administer, can_see_personal_data


class AdministrationCheck:
    """For templates, lazily: may the user manage roles anywhere (its truth value), or on one
    organization (``organization in roles_admin``)? Nothing is queried until a template asks,
    and the first answer is kept."""

    def __init__(self, user) -> None:
        self.user = user
        self._anywhere: bool | None = None

    def __bool__(self) -> bool:
        if self._anywhere is None:
            self._anywhere = can_administer(self.user)
        return self._anywhere

    def __contains__(self, organization) -> bool:
        return bool(self) and can_administer(self.user, organization)


def dangbo(request):
    return {
        "DEMO": settings.DEMO,
        "as_of": getattr(request, "as_of", None),
        "as_of_error": getattr(request, "as_of_error", None),
        "as_of_is_today": getattr(request, "as_of_is_today", True),
        # Called by the template only where needed (one query).
        "can_see_personal": lambda: can_see_personal_data(request.user),
        "roles_admin": AdministrationCheck(request.user),
    }
