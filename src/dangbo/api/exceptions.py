"""API errors: JSON bodies with Vietnamese messages, never a 500 for bad input.

Django's ValidationError, Http404 and PermissionDenied become DRF answers. The framework's own
messages (not signed in, bad token, method not allowed...) have no Vietnamese translation in DRF,
so they are replaced here; a message our code chose is kept as it is.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def _framework_message(exc: exceptions.APIException, method: str) -> str | None:
    """The Vietnamese text for an error the framework raised, or None to keep the message."""
    if isinstance(exc, exceptions.NotAuthenticated):
        return _(
            "You need to log in, or to send an access token in the header "
            "“Authorization: Token <access token>”."
        )
    if isinstance(exc, exceptions.AuthenticationFailed):
        return _("The access token is invalid, or the account has been disabled.")
    if isinstance(exc, exceptions.MethodNotAllowed):
        return _("This API is read-only; the %(method)s method is not supported.") % {
            "method": method
        }
    if isinstance(exc, exceptions.NotAcceptable):
        return _("The API answers in JSON only; drop the Accept header or use application/json.")
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return _("The media type of the request body is not supported.")
    if isinstance(exc, exceptions.ParseError):
        return _("The request body could not be read.")
    if isinstance(exc, exceptions.Throttled):
        return _("You have sent too many requests; try again in a few minutes.")
    detail = force_str(exc.detail) if isinstance(exc.detail, str) else None
    if isinstance(exc, exceptions.PermissionDenied):
        if detail is not None and detail.startswith("CSRF Failed"):
            return _(
                "The request was refused because the CSRF token is missing; "
                "reload the page and try again."
            )
        if detail == force_str(exc.default_detail):
            return _("You do not have permission to see this data.")
    if isinstance(exc, exceptions.NotFound) and detail == force_str(exc.default_detail):
        return _("Not found.")
    return None


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, Http404):
        # Missing and out of scope look alike (core.access); Django's own texts are English.
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    if isinstance(exc, exceptions.APIException):
        request = context.get("request")
        message = _framework_message(exc, getattr(request, "method", "") or "")
        if message is not None:
            # Changed in place: APIView has already set the WWW-Authenticate header on ``exc``.
            code = getattr(exc.detail, "code", None) or exc.default_code
            exc.detail = exceptions.ErrorDetail(message, code=code)
    return drf_exception_handler(exc, context)
