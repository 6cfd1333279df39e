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
            "Bạn cần đăng nhập, hoặc gửi mã truy cập trong tiêu đề "
            "“Authorization: Token <mã truy cập>”."
        )
    if isinstance(exc, exceptions.AuthenticationFailed):
        return _("Mã truy cập không hợp lệ, hoặc tài khoản đã bị khóa.")
    if isinstance(exc, exceptions.MethodNotAllowed):
        return _("API này chỉ cho phép đọc dữ liệu; phương thức %(method)s không được hỗ trợ.") % {
            "method": method
        }
    if isinstance(exc, exceptions.NotAcceptable):
        return _("API chỉ trả lời bằng JSON; hãy bỏ tiêu đề Accept hoặc dùng application/json.")
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return _("Kiểu dữ liệu gửi lên không được hỗ trợ.")
    if isinstance(exc, exceptions.ParseError):
        return _("Không đọc được dữ liệu gửi lên.")
    if isinstance(exc, exceptions.Throttled):
        return _("Bạn đã gửi quá nhiều yêu cầu; hãy thử lại sau ít phút.")
    detail = force_str(exc.detail) if isinstance(exc.detail, str) else None
    if isinstance(exc, exceptions.PermissionDenied):
        if detail is not None and detail.startswith("CSRF Failed"):
            return _("Yêu cầu bị từ chối vì thiếu mã CSRF; hãy tải lại trang rồi thử lại.")
        if detail == force_str(exc.default_detail):
            return _("Bạn không có quyền xem dữ liệu này.")
    if isinstance(exc, exceptions.NotFound) and detail == force_str(exc.default_detail):
        return _("Không tìm thấy.")
    return None


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, Http404):
        # Missing and out of scope look alike (core.access); Django's own texts are English.
        exc = exceptions.NotFound(_("Không tìm thấy."))
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
