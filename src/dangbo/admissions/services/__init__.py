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
from dangbo.admissions.services.document_templates import (
    MAX_TEMPLATE_BYTES,
    can_manage_document_templates,
    replace_document_template,
    restore_default_template,
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
from dangbo.admissions.services.steps import record_step_of_kind

__all__ = [
    "MAX_TEMPLATE_BYTES",
    "can_manage_document_templates",
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
    "record_step_of_kind",
    "record_verification",
    "replace_document_template",
    "restore_default_template",
    "start_candidate",
]
