"""The eligibility checks of an admission case, judged at the branch meeting date.

Each check reads the version of its rule in force on the meeting date (``core.rules``) and
returns a ``Verdict``: the rule key, the version used, the value it was applied to and the
result. The services store verdicts as ``RuleVerdict`` rows, so a later rule change never
changes a verdict already given. A failed verdict of a rule that allows exceptions passes when
the competent level has approved one (``RuleException``) by the meeting date.

``person`` checks the person, ``dossier`` the papers and introducers, ``votes`` the vote;
``verdicts`` holds the rule keys, the ``Verdict`` and the exceptions.
"""

from __future__ import annotations

import datetime as dt

from dangbo.admissions.models import AdmissionStep, Candidate
from dangbo.admissions.rules.dossier import (
    PAPER_KINDS,
    check_certificate,
    check_introducer,
    check_papers,
    current_dossier,
    current_introductions,
    latest,
    months_together,
)
from dangbo.admissions.rules.person import (
    NO_READMISSION_EXITS,
    READMISSION_EXITS,
    check_age,
    check_education,
    check_not_a_member,
    check_readmission,
    member_of,
)
from dangbo.admissions.rules.verdicts import (
    CEREMONY_DEADLINE,
    CERTIFICATE,
    CHARTER_ARTICLE_1,
    CHARTER_ARTICLE_4,
    CHARTER_ARTICLE_4_READMISSION,
    DECISION_DEADLINE,
    EDUCATION,
    EXCEPTION_RULES,
    EXTENSION_MAXIMUM,
    FAILED_VOTES,
    GUIDANCE,
    INTRODUCER_FULL_MEMBER,
    INTRODUCER_MONTHS,
    MAXIMUM_AGE,
    MINIMUM_AGE,
    NOT_A_MEMBER,
    PAPERS,
    PROBATION,
    READMISSION,
    REVIEW_DEADLINE,
    VOTE_THRESHOLD,
    Verdict,
    apply_exceptions,
    exceptions_by_rule,
)
from dangbo.admissions.rules.votes import check_vote

__all__ = [
    "CEREMONY_DEADLINE",
    "CERTIFICATE",
    "CHARTER_ARTICLE_1",
    "CHARTER_ARTICLE_4",
    "CHARTER_ARTICLE_4_READMISSION",
    "DECISION_DEADLINE",
    "EDUCATION",
    "EXCEPTION_RULES",
    "EXTENSION_MAXIMUM",
    "FAILED_VOTES",
    "GUIDANCE",
    "INTRODUCER_FULL_MEMBER",
    "INTRODUCER_MONTHS",
    "MAXIMUM_AGE",
    "MINIMUM_AGE",
    "NOT_A_MEMBER",
    "NO_READMISSION_EXITS",
    "PAPERS",
    "PAPER_KINDS",
    "PROBATION",
    "READMISSION",
    "READMISSION_EXITS",
    "REVIEW_DEADLINE",
    "VOTE_THRESHOLD",
    "Verdict",
    "apply_exceptions",
    "check_age",
    "check_certificate",
    "check_education",
    "check_eligibility",
    "check_introducer",
    "check_not_a_member",
    "check_papers",
    "check_readmission",
    "check_vote",
    "current_dossier",
    "current_introductions",
    "exceptions_by_rule",
    "latest",
    "member_of",
    "months_together",
]


def check_eligibility(
    candidate: Candidate, on: dt.date, steps: list[AdmissionStep] | None = None
) -> list[Verdict]:
    """Every eligibility check of the case on the meeting date ``on``, with the rules in force
    that day and the exceptions approved by then (the votes are judged apart: ``check_vote``)."""
    if steps is None:
        steps = list(
            candidate.steps.select_related("introduction__introducer__person").order_by(
                "date", "id"
            )
        )
    person = candidate.person
    verdicts = [check_not_a_member(person, on), *check_readmission(person, on)]
    verdicts += check_age(person, on)
    verdicts.append(check_education(person, on))
    verdicts.append(check_certificate(steps, on))
    verdicts += check_papers(steps, on)
    for step in current_introductions(steps, on):
        verdicts += check_introducer(person, step.introduction, on)
    return apply_exceptions(verdicts, exceptions_by_rule(candidate, on))
