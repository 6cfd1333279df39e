"""Verdicts: how a rule judged a case, the rule keys, and the exceptions that lift a failure."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dangbo.admissions.models import (
    Candidate,
    RuleException,
    VerdictOutcome,
)
from dangbo.core.models import Rule

MINIMUM_AGE = "admission.minimum_age_months"
MAXIMUM_AGE = "admission.maximum_age_months"
EDUCATION = "admission.minimum_education"
CERTIFICATE = "admission.certificate_max_age_months"
PAPERS = "admission.papers_max_age_months"
INTRODUCER_MONTHS = "admission.introducer_min_months_in_unit"
VOTE_THRESHOLD = "admission.vote_threshold"
READMISSION = "admission.readmission_min_months"
FAILED_VOTES = "admission.failed_votes_before_referral"
DECISION_DEADLINE = "admission.decision_deadline_working_days"
CEREMONY_DEADLINE = "admission.ceremony_deadline_working_days"
REVIEW_DEADLINE = "membership.recognition_review_deadline_working_days"
EXTENSION_MAXIMUM = "admission.deadline_extension_max_working_days"
PROBATION = "membership.probation_months"
# Checks that are rules of the Charter with no number to version: no ``Rule`` row, a fixed source.
INTRODUCER_FULL_MEMBER = "admission.introducer_full_member"
NOT_A_MEMBER = "admission.not_a_member"
CHARTER_ARTICLE_1 = "Điều lệ Đảng (2011), Điều 1"
CHARTER_ARTICLE_4 = "Điều lệ Đảng (2011), Điều 4"
CHARTER_ARTICLE_4_READMISSION = "Điều lệ Đảng (2011), Điều 4; QĐ 232-QĐ/TW (2025)"
GUIDANCE = "HD 12-HD/BTCTW (2022), nghiệp vụ công tác đảng viên"

# Rules whose failure the competent level may lift for one candidate.
EXCEPTION_RULES = (MAXIMUM_AGE, EDUCATION)


@dataclass(frozen=True)
class Verdict:
    """How one rule judges a case on a date. ``message`` is a translated text with
    ``params`` still to fill in, so that a refusal keeps its code (the rule key) and params."""

    key: str
    rule: Rule | None
    passed: bool
    value: Any
    message: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)
    field: str = "__all__"
    subject: str = ""
    exception: RuleException | None = None

    @property
    def text(self) -> str:
        return self.message % self.params if self.params else self.message

    @property
    def outcome(self) -> str:
        if not self.passed:
            return VerdictOutcome.FAILED
        return VerdictOutcome.PASSED_BY_EXCEPTION if self.exception else VerdictOutcome.PASSED

    def error(self) -> ValidationError:
        return ValidationError(self.message, code=self.key, params=self.params)


def day_text(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def age_text(months: int) -> str:
    return _("%(years)s years %(months)s months") % {"years": months // 12, "months": months % 12}


def source_of(rule: Rule | None) -> str:
    return rule.source_document if rule is not None else ""


def make_verdict(
    key: str,
    rule: Rule | None,
    passed: bool,
    value: Any,
    messages: tuple[str, str],
    params: dict[str, Any],
    *,
    field: str,
    subject: str = "",
) -> Verdict:
    """A verdict whose message is the first of ``messages`` (passed) or the second (failed)."""
    return Verdict(
        key=key,
        rule=rule,
        passed=passed,
        value=value,
        message=messages[0] if passed else messages[1],
        params={"source": source_of(rule), **params},
        field=field,
        subject=subject,
    )


def exceptions_by_rule(candidate: Candidate, on: dt.date) -> dict[str, RuleException]:
    """The latest exception per rule approved for the candidate by ``on``."""
    found: dict[str, RuleException] = {}
    for exception in candidate.rule_exceptions.filter(approved_on__lte=on).order_by(
        "approved_on", "id"
    ):
        found[exception.rule_key] = exception
    return found


def apply_exceptions(
    verdicts: list[Verdict], exceptions: dict[str, RuleException]
) -> list[Verdict]:
    """Failed verdicts of rules with an approved exception pass "by exception"."""
    result = []
    for verdict in verdicts:
        exception = exceptions.get(verdict.key)
        if not verdict.passed and verdict.key in EXCEPTION_RULES and exception is not None:
            verdict = Verdict(
                key=verdict.key,
                rule=verdict.rule,
                passed=True,
                value=verdict.value,
                message=verdict.message
                + " "
                + _("Passed by exception: %(document)s of %(approved_on)s."),
                params={
                    **verdict.params,
                    "document": exception.document_number,
                    "approved_on": day_text(exception.approved_on),
                },
                field=verdict.field,
                subject=verdict.subject,
                exception=exception,
            )
        result.append(verdict)
    return result
