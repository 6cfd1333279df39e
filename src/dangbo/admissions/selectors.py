"""Reads of the admission pipeline, through the access rule and as of a date: candidates with
the stage derived from their steps, counts per stage, and the deadlines of the open cases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    QuerySet,
    Value,
    When,
)
from django.http import Http404

from dangbo.admissions import rules
from dangbo.admissions.models import (
    CLOSING_STEPS,
    AdmissionStep,
    Candidate,
    DeadlineExtension,
    Stage,
    StepKind,
)
from dangbo.core.access import restrict_to_scope
from dangbo.core.dates import add_months
from dangbo.core.models import Rule
from dangbo.core.rules import RuleMissing, rule_in_force
from dangbo.organizations.models import Organization

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class StageAnnotation(TypedDict):
    stage: str


DEADLINE_RULES = {
    StepKind.DECISION: rules.DECISION_DEADLINE,
    StepKind.CEREMONY: rules.CEREMONY_DEADLINE,
    StepKind.RECOGNITION_REVIEW: rules.REVIEW_DEADLINE,
}
# Stages whose next step has a deadline in working days.
DEADLINE_STAGES = (Stage.AWAITING_DECISION, Stage.AWAITING_CEREMONY, Stage.PROBATION)


# --- stages -----------------------------------------------------------------------------------


def _has(as_of: dt.date, kind: str, **conditions) -> Exists:
    return Exists(
        AdmissionStep.objects.filter(
            candidate_id=OuterRef("pk"), kind=kind, date__lte=as_of, **conditions
        )
    )


def annotate_stage(
    queryset: QuerySet[Candidate], as_of: dt.date
) -> QuerySet[WithAnnotations[Candidate, StageAnnotation]]:
    """Add ``stage``: where each case stands on ``as_of``, from its steps dated by then."""
    return queryset.annotate(
        stage=Case(
            When(_has(as_of, StepKind.WITHDRAWN), then=Value(Stage.WITHDRAWN.value)),
            When(_has(as_of, StepKind.PROBATION_REMOVED), then=Value(Stage.REMOVED.value)),
            When(_has(as_of, StepKind.RECOGNITION), then=Value(Stage.RECOGNIZED.value)),
            When(_has(as_of, StepKind.CEREMONY), then=Value(Stage.PROBATION.value)),
            When(_has(as_of, StepKind.DECISION), then=Value(Stage.AWAITING_CEREMONY.value)),
            When(
                _has(as_of, StepKind.BRANCH_RESOLUTION, resolution__passed=True)
                | _has(as_of, StepKind.REFERRED_UP),
                then=Value(Stage.AWAITING_DECISION.value),
            ),
            default=Value(Stage.DOSSIER.value),
            output_field=CharField(),
        )
    )


def stage_of(steps: Iterable[AdmissionStep], as_of: dt.date) -> str:
    """The stage of one case on ``as_of`` from its steps (the same rule as ``annotate_stage``)."""
    kinds: set[str] = set()
    for step in steps:
        if step.date > as_of:
            continue
        if step.kind == StepKind.BRANCH_RESOLUTION:
            if step.passed:
                kinds.add(StepKind.BRANCH_RESOLUTION)
        else:
            kinds.add(step.kind)
    for kind, stage in (
        (StepKind.WITHDRAWN, Stage.WITHDRAWN),
        (StepKind.PROBATION_REMOVED, Stage.REMOVED),
        (StepKind.RECOGNITION, Stage.RECOGNIZED),
        (StepKind.CEREMONY, Stage.PROBATION),
        (StepKind.DECISION, Stage.AWAITING_CEREMONY),
        (StepKind.BRANCH_RESOLUTION, Stage.AWAITING_DECISION),
        (StepKind.REFERRED_UP, Stage.AWAITING_DECISION),
    ):
        if kind in kinds:
            return stage
    return Stage.DOSSIER


def _candidates(
    *, user, organization: Organization | None, as_of: dt.date, personal: bool = True
) -> QuerySet[Candidate]:
    """Cases started by ``as_of`` in the user's scope (and the organization's subtree then)."""
    from dangbo.organizations.selectors import subtree_ids

    qs = Candidate.objects.filter(started_on__lte=as_of)
    within = None
    if organization is not None:
        qs = qs.filter(organization_id__in=subtree_ids(organization.pk, as_of))
        within = (organization.pk, as_of)
    return restrict_to_scope(qs, user, personal=personal, within=within)


def list_candidates(
    *, user, organization: Organization | None = None, as_of: dt.date, stage: str = ""
) -> QuerySet[WithAnnotations[Candidate, StageAnnotation]]:
    """Candidates the user may see, as they stood on ``as_of``, each with its ``stage``;
    only those in ``stage`` when given."""
    qs = annotate_stage(_candidates(user=user, organization=organization, as_of=as_of), as_of)
    if stage:
        qs = qs.filter(stage=stage)
    return qs.select_related("person", "organization", "helper__person").order_by(
        "person__sort_key", "id"
    )


def count_by_stage(*, user, organization: Organization | None = None, as_of: dt.date) -> dict:
    """The number of cases in each stage on ``as_of`` (counts: statisticians see them too)."""
    qs = annotate_stage(
        _candidates(user=user, organization=organization, as_of=as_of, personal=False), as_of
    )
    counts = dict.fromkeys(Stage.values, 0)
    for row in qs.order_by().values("stage").annotate(n=Count("id")):
        counts[row["stage"]] = row["n"]
    return counts


def get_candidate(*, user, pk) -> Candidate:
    """A candidate the user may see, with its steps; 404 when missing or out of scope."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    candidate = (
        restrict_to_scope(Candidate.objects.filter(pk=pk), user, personal=True)
        .select_related("person", "organization", "helper__person")
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=AdmissionStep.objects.select_related(
                    "resolution", "introduction__introducer__person", "verification"
                ).order_by("date", "id"),
            ),
            "steps__verdicts",
            "rule_exceptions",
            "extensions",
        )
        .first()
    )
    if candidate is None:
        raise Http404
    return candidate


# --- deadlines --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """The deadline of a case's next step: ``working_days`` (from the rule in force on
    ``starts_on``) plus extensions, counted from ``starts_on``; the step is due by ``due_on``."""

    candidate: Candidate
    step_kind: str
    starts_on: dt.date
    working_days: int
    extension_days: int
    due_on: dt.date
    rule: Rule

    def is_overdue(self, as_of: dt.date) -> bool:
        return as_of > self.due_on

    @property
    def step_label(self) -> str:
        return str(StepKind(self.step_kind).label)


def _calendar():
    from dangbo.core.calendar import WorkingDayCalendar

    return WorkingDayCalendar()


class RuleBook:
    """All versions of some rules, read in one query, then picked like ``rule_in_force`` (the
    version in force on the day, else the earliest): a list of cases costs one query of rules."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.versions: dict[str, list[Rule]] = {}
        for rule in Rule.objects.filter(key__in=list(keys)).order_by("valid_from"):
            self.versions.setdefault(rule.key, []).append(rule)

    def in_force(self, key: str, on: dt.date) -> Rule:
        versions = self.versions.get(key)
        if not versions:
            raise RuleMissing(key)
        current = [
            r for r in versions if r.valid_from <= on and (r.valid_to is None or r.valid_to > on)
        ]
        return current[-1] if current else versions[0]


def next_deadline(
    candidate: Candidate,
    as_of: dt.date,
    *,
    steps: list[AdmissionStep] | None = None,
    extensions: list[DeadlineExtension] | None = None,
    calendar=None,
    in_force: Callable[[str, dt.date], Rule] = rule_in_force,
) -> Deadline | None:
    """The deadline of the case's next step on ``as_of``: the decision within the rule's
    working days of the branch resolution (or of the referral up), the ceremony of the
    decision, the recognition review of the end of probation. None when no deadline runs."""
    if steps is None:
        steps = list(candidate.steps.select_related("resolution").order_by("date", "id"))
    if extensions is None:
        extensions = list(candidate.extensions.all())
    steps = [s for s in steps if s.date <= as_of]
    kinds = {s.kind for s in steps}
    if kinds & set(CLOSING_STEPS):
        return None
    if StepKind.CEREMONY in kinds:
        if StepKind.RECOGNITION_REVIEW in kinds:
            return None
        ceremony = rules.latest(steps, StepKind.CEREMONY, as_of)
        assert ceremony is not None
        probation = in_force(rules.PROBATION, ceremony.date)
        step_kind, starts_on = (
            StepKind.RECOGNITION_REVIEW,
            add_months(ceremony.date, int(probation.value)),
        )
    elif StepKind.DECISION in kinds:
        decision = rules.latest(steps, StepKind.DECISION, as_of)
        assert decision is not None
        step_kind, starts_on = StepKind.CEREMONY, decision.date
    else:
        branch = [
            s
            for s in steps
            if s.kind == StepKind.REFERRED_UP or (s.kind == StepKind.BRANCH_RESOLUTION and s.passed)
        ]
        if not branch:
            return None
        step_kind, starts_on = StepKind.DECISION, branch[-1].date
    rule = in_force(DEADLINE_RULES[step_kind], starts_on)
    extension_days = sum(
        e.working_days for e in extensions if e.step_kind == step_kind and e.granted_on <= as_of
    )
    calendar = calendar or _calendar()
    return Deadline(
        candidate=candidate,
        step_kind=step_kind,
        starts_on=starts_on,
        working_days=int(rule.value),
        extension_days=extension_days,
        due_on=calendar.add_working_days(starts_on, int(rule.value) + extension_days),
        rule=rule,
    )


def list_deadlines(
    *, user, organization: Organization | None = None, as_of: dt.date, personal: bool = True
) -> list[Deadline]:
    """The running deadlines of the open cases the user may see on ``as_of``, soonest first."""
    qs = (
        annotate_stage(
            _candidates(user=user, organization=organization, as_of=as_of, personal=personal),
            as_of,
        )
        .filter(stage__in=DEADLINE_STAGES)
        .select_related("person", "organization")
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=AdmissionStep.objects.filter(date__lte=as_of)
                .select_related("resolution")
                .order_by("date", "id"),
                to_attr="steps_by_then",
            ),
            Prefetch(
                "extensions",
                queryset=DeadlineExtension.objects.filter(granted_on__lte=as_of),
                to_attr="extensions_by_then",
            ),
        )
    )
    calendar = _calendar()
    book = RuleBook([rules.PROBATION, *DEADLINE_RULES.values()])
    deadlines = []
    for candidate in qs:
        deadline = next_deadline(
            candidate,
            as_of,
            steps=candidate.steps_by_then,
            extensions=candidate.extensions_by_then,
            calendar=calendar,
            in_force=book.in_force,
        )
        if deadline is not None:
            deadlines.append(deadline)
    return sorted(deadlines, key=lambda d: (d.due_on, d.candidate.person.sort_key, d.candidate.pk))


def list_due(
    *, user, organization: Organization | None = None, as_of: dt.date, within_days: int = 30
) -> list[Deadline]:
    """Steps due from ``as_of`` to ``within_days`` calendar days later, soonest first."""
    until = as_of + dt.timedelta(days=within_days)
    return [
        d
        for d in list_deadlines(user=user, organization=organization, as_of=as_of)
        if as_of <= d.due_on <= until
    ]


def count_overdue(*, user, organization: Organization | None = None, as_of: dt.date) -> int:
    """How many open cases have their next step past its deadline on ``as_of``."""
    return sum(
        1
        for d in list_deadlines(user=user, organization=organization, as_of=as_of, personal=False)
        if d.is_overdue(as_of)
    )


def list_next_steps(candidate, day: dt.date) -> list[str]:
    """The step kinds the procedure allows next on ``day``: the services' own order checks,
    asked for each kind, so the answer never drifts from what recording would accept."""
    from django.core.exceptions import ValidationError

    from dangbo.admissions.models import StepKind
    from dangbo.admissions.services._common import check_order

    steps = [s for s in candidate.steps.all() if s.date <= day]
    allowed = []
    for kind in StepKind.values:
        try:
            check_order(candidate, steps, kind, day)
        except ValidationError:
            continue
        allowed.append(kind)
    return allowed
