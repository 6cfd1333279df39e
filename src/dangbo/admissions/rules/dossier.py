"""Checks of the dossier: the awareness certificate, the age of the papers, the introducers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _

from dangbo.admissions.models import (
    AdmissionStep,
    Introduction,
    StepKind,
)
from dangbo.admissions.rules.verdicts import (
    CERTIFICATE,
    CHARTER_ARTICLE_4,
    INTRODUCER_FULL_MEMBER,
    INTRODUCER_MONTHS,
    PAPERS,
    Verdict,
    day_text,
    make_verdict,
)
from dangbo.core.dates import add_months, full_months_between
from dangbo.core.rules import rule_in_force
from dangbo.members.models import (
    Employment,
    Member,
    MembershipPeriod,
    MemberStatus,
    Person,
)
from dangbo.members.services import status_on

# Papers of the dossier that must be redone when older than the papers rule allows.
PAPER_KINDS = (
    StepKind.APPLICATION,
    StepKind.BACKGROUND,
    StepKind.VERIFICATION,
    StepKind.OPINIONS,
)


def latest(steps: Iterable[AdmissionStep], kind: str, on: dt.date) -> AdmissionStep | None:
    """The latest step of ``kind`` dated on or before ``on``."""
    found = [s for s in steps if s.kind == kind and s.date <= on]
    return max(found, key=lambda s: (s.date, s.pk or 0)) if found else None


def current_dossier(steps: Iterable[AdmissionStep], on: dt.date) -> list[AdmissionStep]:
    """The steps of the dossier in use on ``on``: from the latest application on (a new
    application restarts the papers; the awareness course is counted on its own)."""
    steps = [s for s in steps if s.date <= on]
    application = latest(steps, StepKind.APPLICATION, on)
    if application is None:
        return []
    return [s for s in steps if (s.date, s.pk or 0) >= (application.date, application.pk or 0)]


def current_introductions(steps: Iterable[AdmissionStep], on: dt.date) -> list[AdmissionStep]:
    """Introduction steps of the current dossier, the latest one per introducer."""
    by_introducer: dict[tuple[str, int | None], AdmissionStep] = {}
    for step in current_dossier(steps, on):
        if step.kind != StepKind.INTRODUCTION:
            continue
        introduction = step.introduction
        key = (introduction.union_committee, introduction.introducer_id)
        by_introducer[key] = step
    return sorted(by_introducer.values(), key=lambda s: (s.date, s.pk or 0))


def check_certificate(steps: Iterable[AdmissionStep], on: dt.date) -> Verdict:
    """The awareness course certificate is at most the rule's months old on the meeting date."""
    rule = rule_in_force(CERTIFICATE, on)
    limit = int(rule.value)
    course = latest(steps, StepKind.AWARENESS_COURSE, on)
    if course is None:
        return make_verdict(
            CERTIFICATE,
            rule,
            False,
            None,
            (
                "",
                _(
                    "No party awareness course certificate is recorded by the meeting date "
                    "(%(source)s)."
                ),
            ),
            {"limit": limit},
            field=StepKind.AWARENESS_COURSE,
        )
    return make_verdict(
        CERTIFICATE,
        rule,
        on <= add_months(course.date, limit),
        full_months_between(course.date, on),
        (
            _(
                "Party awareness course certificate of %(certificate)s: at most %(limit)s months "
                "old on the meeting date (%(source)s)."
            ),
            _(
                "The party awareness course certificate of %(certificate)s is more than %(limit)s "
                "months old on the meeting date %(date)s: the course must be taken again "
                "(%(source)s)."
            ),
        ),
        {"certificate": day_text(course.date), "limit": limit, "date": day_text(on)},
        field=StepKind.AWARENESS_COURSE,
    )


def check_papers(steps: list[AdmissionStep], on: dt.date) -> list[Verdict]:
    """Each paper of the current dossier is at most the rule's months old on the meeting date."""
    rule = rule_in_force(PAPERS, on)
    limit = int(rule.value)
    dossier = current_dossier(steps, on)
    papers: list[AdmissionStep] = []
    for kind in PAPER_KINDS:
        paper = latest(dossier, kind, on)
        if paper is not None:
            papers.append(paper)
    papers.extend(current_introductions(steps, on))
    verdicts = []
    for paper in papers:
        subject = paper.kind if paper.kind != StepKind.INTRODUCTION else f"introduction:{paper.pk}"
        verdicts.append(
            make_verdict(
                PAPERS,
                rule,
                on <= add_months(paper.date, limit),
                full_months_between(paper.date, on),
                (
                    _("“%(paper)s” of %(paper_date)s: at most %(limit)s months old (%(source)s)."),
                    _(
                        "“%(paper)s” of %(paper_date)s is more than %(limit)s months old on the "
                        "meeting date %(date)s and must be redone (%(source)s)."
                    ),
                ),
                {
                    "paper": paper.get_kind_display(),
                    "paper_date": day_text(paper.date),
                    "limit": limit,
                    "date": day_text(on),
                },
                field=paper.kind,
                subject=subject,
            )
        )
    return verdicts


# --- introducers ------------------------------------------------------------------------------


def _intervals(rows: Iterable[tuple[int, dt.date, dt.date | None]], on: dt.date):
    """(organization id, start, end) rows as half-open intervals cut at ``on``."""
    for organization_id, start, end in rows:
        stop = on if end is None else min(end, on)
        if start < stop:
            yield organization_id, start, stop


def months_together(person: Person, introducer: Member, on: dt.date) -> int:
    """The longest unbroken time, up to ``on``, that the introducer worked or was registered in
    the same unit (party organization) where the person worked, in full months."""
    person_rows = Employment.objects.filter(person=person).values_list(
        "organization_id", "start_date", "end_date"
    )
    introducer_rows = list(
        Employment.objects.filter(person_id=introducer.person_id).values_list(
            "organization_id", "start_date", "end_date"
        )
    ) + list(
        MembershipPeriod.objects.filter(member=introducer).values_list(
            "organization_id", "valid_from", "valid_to"
        )
    )
    theirs = list(_intervals(introducer_rows, on))
    overlaps: list[tuple[dt.date, dt.date]] = []
    for organization_id, start, stop in _intervals(person_rows, on):
        for other_id, other_start, other_stop in theirs:
            if other_id == organization_id:
                begin, end = max(start, other_start), min(stop, other_stop)
                if begin < end:
                    overlaps.append((begin, end))
    merged: list[list[dt.date]] = []
    for begin, end in sorted(overlaps):
        if merged and begin <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([begin, end])
    return max((full_months_between(begin, end) for begin, end in merged), default=0)


def check_introducer(
    person: Person, introduction: Introduction, on: dt.date, *, field: str = "introduction"
) -> list[Verdict]:
    """An introducing member is a full member on ``on`` and has worked in the same unit as the
    candidate for at least the months of the rule, by ``on`` (from our own records)."""
    member = introduction.introducer
    if member is None:
        return []
    name = member.person.full_name
    subject = f"introducer:{member.pk}"
    status = status_on(member, on)
    verdicts = [
        Verdict(
            key=INTRODUCER_FULL_MEMBER,
            rule=None,
            passed=status == MemberStatus.FULL,
            value=status,
            message=(
                _("The introducer %(name)s is a full party member on %(date)s (%(source)s).")
                if status == MemberStatus.FULL
                else _(
                    "The introducer %(name)s is not a full party member on %(date)s; "
                    "an introducer must be a full member (%(source)s)."
                )
            ),
            params={"name": name, "date": day_text(on), "source": CHARTER_ARTICLE_4},
            field=field,
            subject=subject,
        )
    ]
    rule = rule_in_force(INTRODUCER_MONTHS, on)
    limit = int(rule.value)
    months = months_together(person, member, on)
    verdicts.append(
        make_verdict(
            INTRODUCER_MONTHS,
            rule,
            months >= limit,
            months,
            (
                _(
                    "The introducer %(name)s has worked in the same unit as the candidate for "
                    "%(months)s full months: at least %(limit)s (%(source)s)."
                ),
                _(
                    "The introducer %(name)s has worked in the same unit as the candidate for "
                    "%(months)s full months by %(date)s, less than the %(limit)s months required "
                    "(%(source)s)."
                ),
            ),
            {"name": name, "months": months, "limit": limit, "date": day_text(on)},
            field=field,
            subject=subject,
        )
    )
    return verdicts
