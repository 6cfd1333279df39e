"""Login and logout go to the audit log. Django's auth signals are the only hook it offers."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from dangbo.core.audit import AuditAction, record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record(actor=user, action=AuditAction.LOGIN, object_type="auth.user", object_repr=str(user))


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(
            actor=user, action=AuditAction.LOGOUT, object_type="auth.user", object_repr=str(user)
        )


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    record(
        actor=None, action=AuditAction.LOGIN_FAILED, object_type="auth.user", object_repr=username
    )
