from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "dangbo.targets"
    verbose_name = _("Terms and targets")
