"""Writes of the admission pipeline. Each service is keyword-only, checks access on the
candidate's branch, validates (the order of the procedure, the rules in force on the step's
date), writes and audits in one transaction: a refusal changes nothing."""

from dangbo.admissions.services.candidates import (
    extend_deadline,
    record_exception,
    record_introduction,
    record_step,
    record_verification,
    start_candidate,
)
from dangbo.admissions.services.meetings import (
    count_full_members,
    record_branch_resolution,
    record_committee_resolution,
)
from dangbo.admissions.services.membership import (
    record_ceremony_step,
    record_decision,
    record_probation_removal,
    record_recognition,
)

__all__ = [
    "count_full_members",
    "extend_deadline",
    "record_branch_resolution",
    "record_ceremony_step",
    "record_committee_resolution",
    "record_decision",
    "record_exception",
    "record_introduction",
    "record_probation_removal",
    "record_recognition",
    "record_step",
    "record_verification",
    "start_candidate",
]
