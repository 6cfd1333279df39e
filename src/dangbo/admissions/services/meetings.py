"""The votes on a case: the branch meeting, where the eligibility rules are judged and their
verdicts stored, and the grassroots committee meeting."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from dangbo.admissions import rules
from dangbo.admissions.models import (
    AdmissionStep,
    Candidate,
    Resolution,
    RuleVerdict,
    StepKind,
)
from dangbo.admissions.services._common import (
    check_day,
    check_order,
    day_text,
    load_steps,
    lock_candidate,
    raise_failed,
    refuse,
    write_step,
)
from dangbo.core import access
from dangbo.core.rules import rule_in_force
from dangbo.members.models import MembershipPeriod, MemberStatus
from dangbo.members.selectors import active_on
from dangbo.organizations.models import Organization
from dangbo.organizations.selectors import subtree_ids


def count_full_members(organization: Organization, day: dt.date) -> int:
    """Full members registered in the branch (and its cells) on ``day``: those entitled to vote
    on an admission. Counted from the membership periods, never typed in."""
    return (
        MembershipPeriod.objects.filter(active_on(day))
        .filter(
            status=MemberStatus.FULL,
            organization_id__in=subtree_ids(organization.pk, day),
        )
        .count()
    )


def _check_votes(*, eligible: int, present: int, votes_for: int, votes_against: int, day) -> None:
    """Votes that do not add up are refused: nothing negative, no more present than entitled,
    no more votes than members present."""
    for name, value in (("present", present), ("votes_for", votes_for)):
        if value is None or value < 0:
            refuse(name, _("Vote counts cannot be negative."), code="negative")
    if votes_against is None or votes_against < 0:
        refuse("votes_against", _("Vote counts cannot be negative."), code="negative")
    if eligible < 1:
        refuse(
            "date",
            _("There are no members entitled to vote on %(date)s."),
            code="no_full_members",
            params={"date": day_text(day)},
        )
    if present > eligible:
        refuse(
            "present",
            _(
                "%(present)s members present is more than the %(eligible)s members entitled to "
                "vote on %(date)s."
            ),
            code="present_exceeds_members",
            params={"present": present, "eligible": eligible, "date": day_text(day)},
        )
    if votes_for + votes_against > present:
        refuse(
            "votes_for",
            _(
                "%(votes_for)s votes for and %(votes_against)s against add up to more than the "
                "%(present)s members present."
            ),
            code="votes_exceed_present",
            params={"votes_for": votes_for, "votes_against": votes_against, "present": present},
        )


def _store_verdicts(step: AdmissionStep, verdicts: list[rules.Verdict]) -> None:
    RuleVerdict.objects.bulk_create(
        RuleVerdict(
            step=step,
            rule_key=v.key,
            rule=v.rule,
            subject=v.subject,
            value=v.value,
            passed=v.passed,
            exception=v.exception,
            message=v.text[:500],
        )
        for v in verdicts
    )


def _vote_details(resolution: Resolution) -> dict[str, int | bool]:
    return {
        "eligible_members": resolution.eligible_members,
        "present": resolution.present,
        "votes_for": resolution.votes_for,
        "votes_against": resolution.votes_against,
        "passed": resolution.passed,
    }


@transaction.atomic
def record_branch_resolution(
    *,
    actor,
    candidate: Candidate,
    date: dt.date,
    present: int,
    votes_for: int,
    votes_against: int,
    document_number: str = "",
    note: str = "",
) -> AdmissionStep:
    """Record the branch meeting on the case (6-KNĐ). The eligibility rules in force on the
    meeting date are judged and their verdicts stored; a case that fails one is refused as a
    whole. The vote passes with the threshold share of the branch's full members on that date;
    after the rule's number of failed votes the case is referred to the level above."""
    candidate = lock_candidate(candidate)
    access.require_write(actor, candidate.organization)
    check_day(date)
    steps = load_steps(candidate)
    check_order(candidate, steps, StepKind.BRANCH_RESOLUTION, date)
    eligible = count_full_members(candidate.organization, date)
    _check_votes(
        eligible=eligible,
        present=present,
        votes_for=votes_for,
        votes_against=votes_against,
        day=date,
    )
    verdicts = rules.check_eligibility(candidate, date, steps)
    raise_failed(verdicts)
    vote = rules.check_vote(eligible=eligible, votes_for=votes_for, on=date)
    resolution = Resolution(
        eligible_members=eligible,
        present=present,
        votes_for=votes_for,
        votes_against=votes_against,
        passed=vote.passed,
    )
    step = write_step(
        actor=actor,
        candidate=candidate,
        kind=StepKind.BRANCH_RESOLUTION,
        date=date,
        document_number=document_number,
        note=note,
        details=_vote_details(resolution),
    )
    resolution.step = step
    resolution.save()
    _store_verdicts(step, [*verdicts, vote])
    if not vote.passed:
        _refer_up_after_failed_votes(actor=actor, candidate=candidate, steps=steps, date=date)
    return step


def _refer_up_after_failed_votes(
    *, actor, candidate: Candidate, steps: list[AdmissionStep], date: dt.date
) -> None:
    failed = 1 + sum(1 for s in steps if s.kind == StepKind.BRANCH_RESOLUTION and not s.passed)
    rule = rule_in_force(rules.FAILED_VOTES, date)
    if failed >= int(rule.value):
        write_step(
            actor=actor,
            candidate=candidate,
            kind=StepKind.REFERRED_UP,
            date=date,
            note=(
                _("%(count)s failed branch votes (%(source)s).")
                % {"count": failed, "source": rule.source_document}
            ),
        )


@transaction.atomic
def record_committee_resolution(
    *,
    actor,
    candidate: Candidate,
    date: dt.date,
    eligible_members: int,
    present: int,
    votes_for: int,
    votes_against: int,
    document_number: str = "",
    note: str = "",
) -> AdmissionStep:
    """Record the grassroots committee meeting on the case (8-KNĐ): it passes with the
    threshold share of the committee's members, as entered (committee membership is not
    recorded in dangbo yet)."""
    candidate = lock_candidate(candidate)
    access.require_write(actor, candidate.organization)
    check_day(date)
    steps = load_steps(candidate)
    check_order(candidate, steps, StepKind.COMMITTEE_RESOLUTION, date)
    if eligible_members is None or eligible_members < 1:
        refuse(
            "eligible_members",
            _("Enter the number of committee members entitled to vote."),
            code="required",
        )
    _check_votes(
        eligible=eligible_members,
        present=present,
        votes_for=votes_for,
        votes_against=votes_against,
        day=date,
    )
    vote = rules.check_vote(eligible=eligible_members, votes_for=votes_for, on=date)
    resolution = Resolution(
        eligible_members=eligible_members,
        present=present,
        votes_for=votes_for,
        votes_against=votes_against,
        passed=vote.passed,
    )
    step = write_step(
        actor=actor,
        candidate=candidate,
        kind=StepKind.COMMITTEE_RESOLUTION,
        date=date,
        document_number=document_number,
        note=note,
        details=_vote_details(resolution),
    )
    resolution.step = step
    resolution.save()
    _store_verdicts(step, [vote])
    return step
