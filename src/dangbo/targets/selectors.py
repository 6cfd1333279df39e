"""Reads of Congress terms."""

from __future__ import annotations

import datetime as dt

from dangbo.organizations.models import Organization, OrganizationClosure
from dangbo.targets.models import Term


def get_term(organization: Organization, day: dt.date) -> Term | None:
    """The term running on ``day`` of the organization, or else of its nearest ancestor."""
    ancestry = (
        OrganizationClosure.objects.filter(descendant=organization, valid_from__lte=day)
        .exclude(valid_to__lte=day)
        .values_list("ancestor_id", "depth")
    )
    depth_of = dict(ancestry)
    terms = Term.objects.filter(
        organization_id__in=list(depth_of), starts_on__lte=day, ends_on__gte=day
    )
    return min(terms, key=lambda t: depth_of[t.organization_id], default=None)
