"""Rule pages (/rules/): the national rule set with its versions; new versions for those who may
change the rules (``services.can_change_rules``). The calendar pages are in ``calendar_views``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from dangbo.core import services
from dangbo.core.access import has_any_role
from dangbo.core.dates import today
from dangbo.core.forms import RuleVersionForm, apply_service_errors
from dangbo.core.selectors import RuleHistory, get_rule_history, list_rule_histories


class RuleViewerMixin(LoginRequiredMixin):
    """The rule and calendar pages: login first, then 403 for a user without any role (the
    rules are public regulations, so saying so hides nothing); with ``changes``, 403 too
    unless the user may change the rules (``services.can_change_rules``)."""

    changes = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_any_role(request.user, personal=False):
            raise PermissionDenied(
                _("Only users with a role can see the rules and the working-day calendar.")
            )
        if self.changes and not services.can_change_rules(request.user):
            raise PermissionDenied(
                _(
                    "Only a superuser or an administrator of a top-level organization may change "
                    "the rules and the working-day calendar: they are national."
                )
            )
        return super().dispatch(request, *args, **kwargs)


class RuleChangeMixin(RuleViewerMixin):
    """Pages that change the rules or the calendar."""

    changes = True


def rule_value_text(key: str, value: Any) -> str:
    """A rule's value as a person reads it: "60 working days", "12 months", "2/3", a label."""
    kind = services.rule_value_kind(key, value)
    name = key.rsplit(".", 1)[-1]
    if kind == services.INTEGER and isinstance(value, int):
        n = {"n": intcomma(value)}
        if name.endswith("_working_days"):
            return ngettext("%(n)s working day", "%(n)s working days", value) % n
        if name.endswith("_days"):
            return ngettext("%(n)s day", "%(n)s days", value) % n
        if name.endswith("_months"):
            return ngettext("%(n)s month", "%(n)s months", value) % n
        if name.endswith("_years"):
            return ngettext("%(n)s year", "%(n)s years", value) % n
        return str(n["n"])
    if kind == services.FRACTION and isinstance(value, dict):
        return f"{value.get('numerator')}/{value.get('denominator')}"
    if kind == services.EDUCATION:
        return str(dict(services.education_choices()).get(value, value))
    if kind == services.AGE_BANDS and isinstance(value, list):
        return services.age_bands_text(value)
    return str(value)


def rule_value_input(key: str, value: Any) -> str:
    """A rule's value as typed in the form ("60", "2/3", the choice's code)."""
    if isinstance(value, dict) and set(value) == {"numerator", "denominator"}:
        return f"{value['numerator']}/{value['denominator']}"
    if services.rule_value_kind(key, value) == services.AGE_BANDS and isinstance(value, list):
        return services.age_bands_text(value)
    return str(value)


def _with_texts(history: RuleHistory) -> RuleHistory:
    for version in history.versions:
        version.value_text = rule_value_text(history.key, version.value)  # type: ignore[attr-defined]
    return history


def _rule_list_url(key: str = "") -> str:
    url = reverse("rules:rule_list")
    return f"{url}#rule-{key}" if key else url


class RuleListView(RuleViewerMixin, View):
    """Every rule with the version in force today and its history; links to add versions for
    those who may change the rules."""

    def get(self, request):
        histories = [_with_texts(h) for h in list_rule_histories(on=today())]
        return render(
            request,
            "core/rule_list.html",
            {
                "nav": "rules",
                "histories": histories,
                "can_change": services.can_change_rules(request.user),
                "show_as_of": False,
            },
        )


class RuleVersionCreateView(RuleChangeMixin, View):
    """A new version of one rule, through ``services.add_rule_version``."""

    def _render(self, request, history: RuleHistory, form, status=200):
        return render(
            request,
            "core/rule_version_form.html",
            {
                "nav": "rules",
                "history": _with_texts(history),
                "form": form,
                "title": _("New version of the rule “%(key)s”") % {"key": history.key},
                "submit": _("Add the version"),
                "cancel_url": _rule_list_url(history.key),
                "show_as_of": False,
            },
            status=status,
        )

    def get(self, request, key):
        history = get_rule_history(key=key, on=today())
        form = RuleVersionForm(
            key=key,
            kind=services.rule_value_kind(key, history.latest.value),
            initial={
                "value": rule_value_input(key, history.latest.value),
                "description": history.latest.description,
            },
        )
        return self._render(request, history, form)

    def post(self, request, key):
        history = get_rule_history(key=key, on=today())
        form = RuleVersionForm(
            request.POST, key=key, kind=services.rule_value_kind(key, history.latest.value)
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                rule = services.add_rule_version(
                    actor=request.user,
                    key=key,
                    value=data["value"],
                    valid_from=data["valid_from"],
                    source_document=data["source_document"],
                    description=data["description"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Rule “%(key)s”: the value %(value)s is in force from %(date)s.")
                    % {
                        "key": key,
                        "value": rule_value_text(key, rule.value),
                        "date": f"{rule.valid_from:%d/%m/%Y}",
                    },
                )
                return redirect(_rule_list_url(key))
        return self._render(request, get_rule_history(key=key, on=today()), form, status=400)
