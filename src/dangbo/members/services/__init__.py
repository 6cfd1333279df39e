"""Writes to people and memberships. Each service checks access, validates, writes and audits
in one transaction, so a refusal changes nothing.

The services live by sub-domain in ``people`` (records and numbers), ``periods`` (the periods
derived from events, status and party age) and ``membership`` (writing membership events); this
package re-exports them, so callers import from ``dangbo.members.services``."""

from dangbo.members.services._common import Kind
from dangbo.members.services.membership import (
    admit_member,
    probation_end,
    recognize_full_member,
    record_ceremony,
    remove_from_probation,
)
from dangbo.members.services.people import (
    MEMBER_FIELDS,
    PERSON_FIELDS,
    _validate_employment,
    create_person,
    derive_name_fields,
    home_organization,
    record_view,
    update_member,
    update_person,
)
from dangbo.members.services.periods import (
    derive_periods,
    party_age_months,
    profile_of,
    rebuild_periods,
    status_on,
)

__all__ = [
    "MEMBER_FIELDS",
    "PERSON_FIELDS",
    "Kind",
    "_validate_employment",
    "admit_member",
    "create_person",
    "derive_name_fields",
    "derive_periods",
    "home_organization",
    "party_age_months",
    "probation_end",
    "profile_of",
    "rebuild_periods",
    "recognize_full_member",
    "record_ceremony",
    "record_view",
    "remove_from_probation",
    "status_on",
    "update_member",
    "update_person",
]
