from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "dangbo.core"
    verbose_name = _("System")

    def ready(self) -> None:
        from dangbo.core import signals  # noqa: F401  (login/logout audit)
