"""Pages for members and staff: lists, records, and the forms that call the services.

The pages live in ``lists`` (the member and staff lists and their exports) and ``records`` (the
record pages and their forms); this package re-exports every view for ``members/urls.py`` and
every name other modules import."""

from dangbo.members.views.lists import (
    ORGANIZATION_SELECT_LIMIT,
    MemberExportView,
    MemberListQuery,
    MemberListView,
    PersonExportView,
    PersonListQuery,
    PersonListView,
    read_member_filters,
    read_person_filters,
)
from dangbo.members.views.records import (
    MemberCeremonyView,
    MemberDetailView,
    MemberRecognizeView,
    MemberUpdateView,
    PersonAdmitView,
    PersonCreateView,
    PersonDetailView,
    PersonUpdateView,
)

__all__ = [
    "ORGANIZATION_SELECT_LIMIT",
    "MemberCeremonyView",
    "MemberDetailView",
    "MemberExportView",
    "MemberListQuery",
    "MemberListView",
    "MemberRecognizeView",
    "MemberUpdateView",
    "PersonAdmitView",
    "PersonCreateView",
    "PersonDetailView",
    "PersonExportView",
    "PersonListQuery",
    "PersonListView",
    "PersonUpdateView",
    "read_member_filters",
    "read_person_filters",
]
