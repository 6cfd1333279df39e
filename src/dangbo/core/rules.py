"""Versioned rules: the value of a limit or deadline in force on a given date.

Defaults ship in the data migrations with their source documents; administrators add new
versions on the rules page (/rules/, ``core.services.add_rule_version``) when a regulation
changes. A case is judged by the rule of its own date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from dangbo.core.models import Rule


class RuleMissing(LookupError):
    pass


def rule_in_force(key: str, on: dt.date) -> Rule:
    """The version of ``key`` in force on ``on``; raises RuleMissing when none is."""
    found = (
        Rule.objects.filter(key=key, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .order_by("-valid_from")
        .first()
    )
    if found is None:
        # Cases dated before the first version are judged by the earliest version we hold.
        found = Rule.objects.filter(key=key).order_by("valid_from").first()
    if found is None:
        raise RuleMissing(key)
    return found


def rule_value(key: str, on: dt.date) -> Any:
    return rule_in_force(key, on).value
