"""Request id and client address for the audit log; the "as of" date of every page."""

from __future__ import annotations

import ipaddress
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError

from dangbo.core.audit import RequestContext, reset_request_context, set_request_context
from dangbo.core.dates import parse_as_of, today


def client_address(request) -> str | None:
    candidates = []
    if settings.TRUST_PROXY:
        # The last address is the one our own proxy appended; earlier ones can be forged.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        candidates.append(forwarded.split(",")[-1].strip())
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for value in candidates:
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            continue
    return None


class RequestIdMiddleware:
    """Gives each request an id (X-Request-ID) shared by every audit row it writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        try:
            request_id = str(uuid.UUID(incoming))
        except ValueError:
            request_id = str(uuid.uuid4())
        request.request_id = request_id
        token = set_request_context(
            RequestContext(
                request_id=request_id,
                client_address=client_address(request),
                path=request.path,
            )
        )
        try:
            response = self.get_response(request)
        finally:
            reset_request_context(token)
        response["X-Request-ID"] = request_id
        return response


class AsOfMiddleware:
    """Reads ``?as_of=`` on every page; a bad value becomes a message, never an error page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.as_of_error = None
        raw = request.GET.get("as_of")
        try:
            request.as_of = parse_as_of(raw)
        except ValidationError as error:
            request.as_of = today()
            request.as_of_error = error.messages[0]
        request.as_of_is_today = request.as_of == today()
        return self.get_response(request)
