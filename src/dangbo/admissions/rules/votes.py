"""The vote threshold of a branch or committee resolution."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from dangbo.admissions.rules.verdicts import (
    VOTE_THRESHOLD,
    Verdict,
    make_verdict,
)
from dangbo.core.rules import rule_in_force


def check_vote(*, eligible: int, votes_for: int, on: dt.date) -> Verdict:
    """At least the threshold share (two thirds) of the members entitled to vote voted for."""
    rule = rule_in_force(VOTE_THRESHOLD, on)
    numerator, denominator = int(rule.value["numerator"]), int(rule.value["denominator"])
    passed = eligible > 0 and votes_for * denominator >= eligible * numerator
    return make_verdict(
        VOTE_THRESHOLD,
        rule,
        passed,
        {"eligible": eligible, "votes_for": votes_for},
        (
            _(
                "%(votes_for)s of the %(eligible)s members entitled to vote voted for: at least "
                "%(threshold)s (%(source)s)."
            ),
            _(
                "%(votes_for)s of the %(eligible)s members entitled to vote voted for: fewer "
                "than the %(threshold)s required (%(source)s)."
            ),
        ),
        {
            "votes_for": votes_for,
            "eligible": eligible,
            "threshold": f"{numerator}/{denominator}",
        },
        field="votes_for",
    )
