"""The synthetic data generator shared by the demo and the benchmarks (all data fictional).

``generate(scale=..., seed=...)`` writes an organization tree with its closure, a Congress term
for the root, and the people of every unit: members with their event histories (admission
decision, ceremony, recognition 12 months later, sometimes a transfer) and the periods
``members.services.derive_periods`` implies, non-member staff, a few former members.
People are drawn unit by unit and written in batches, so memory stays bounded at any scale.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction

from dangbo.core.dates import add_months
from dangbo.demo.people import (
    Bijection,
    PersonMaker,
    adult_on,
    random_day,
    working_day,
    years_after,
    years_before,
)
from dangbo.demo.plan import Scale, TreePlanner, Unit
from dangbo.demo.sinks import Row, Sink, as_row, make_sink, next_ids, reset_sequences
from dangbo.members.models import (
    PROFILE_FIELDS,
    Employment,
    Ethnicity,
    Member,
    MemberProfile,
    MembershipEvent,
    MembershipEventKind,
    MembershipPeriod,
    Person,
    Sex,
)
from dangbo.members.services import derive_periods
from dangbo.organizations.models import Organization, OrganizationLink
from dangbo.organizations.services import rebuild_closure
from dangbo.targets.models import Term

Kind = MembershipEventKind
Progress = Callable[[str], None]
DAY = dt.timedelta(days=1)
HALF_YEAR = dt.timedelta(days=183)
YEAR = dt.timedelta(days=365)
TRANSFERRED_SHARE = 0.22  # members admitted in another unit who moved in later
EARLIEST_ADMISSION = dt.date(1977, 1, 1)
PEOPLE_MODELS = (MemberProfile, Person, Member, Employment, MembershipEvent, MembershipPeriod)
TREE_MODELS = (Organization, OrganizationLink)
FORMER_MEMBER_SHARE = 0.015  # of non-member staff: admitted long ago, since left the Party
DECEASED_PER_MEMBER = 0.003  # former members who died in office, no longer on the staff


def vn(number: int) -> str:
    """A count the Vietnamese way: 20.463."""
    return f"{number:,}".replace(",", ".")


@dataclass(frozen=True)
class Generated:
    """What ``generate`` wrote, with the ids a caller needs afterwards."""

    root_id: int
    term_id: int
    organizations: int
    grassroots: int
    branches: int
    people: int
    staff: int
    members: int
    admitted_in_term: int
    events: int
    periods: int
    closure_rows: int
    sample_branch_id: int | None  # a branch of a grassroots committee with 25–60 members
    seconds: float


class _Batch:
    """Rows waiting to be written, flushed in foreign-key order in one transaction."""

    def __init__(self, sink: Sink) -> None:
        self.sink = sink
        self.rows: dict[type, list[Row]] = {model: [] for model in PEOPLE_MODELS}

    def add(self, model: type, row: Row) -> None:
        self.rows[model].append(row)

    def __len__(self) -> int:
        return len(self.rows[Person])

    def flush(self) -> None:
        with transaction.atomic():
            for model in PEOPLE_MODELS:
                self.sink.write(model, self.rows[model])
        for rows in self.rows.values():
            rows.clear()


@dataclass(slots=True)
class _Event:
    """A membership event as ``derive_periods`` reads it (the same attributes as the model)."""

    pk: int
    member_id: int
    kind: str
    date: dt.date
    organization_id: int
    document_number: str
    document_date: dt.date | None

    def row(self) -> Row:
        return {
            "id": self.pk,
            "member_id": self.member_id,
            "kind": self.kind,
            "date": self.date,
            "organization_id": self.organization_id,
            "document_number": self.document_number,
            "document_date": self.document_date,
        }


@dataclass
class _Draft:
    """The dates of one membership before anything is written."""

    dob: dt.date
    decision: dt.date
    ceremony: dt.date
    recognition: dt.date
    prior: Unit | None = None  # where the member was admitted, if not in the unit itself
    transfer_on: dt.date | None = None
    exit_kind: str | None = None
    exit_on: dt.date | None = None


class _Population:
    """Draws the people of each unit and their histories."""

    def __init__(
        self,
        scale: Scale,
        rng: random.Random,
        *,
        seed: int,
        units: list[Unit],
        ids: dict[type, int],
        ethnicity_ids: dict[str, int],
        taken_ids: set[str],
        out: _Batch,
    ) -> None:
        self.scale = scale
        self.rng = rng
        self.units = units
        self.ids = ids
        self.maker = PersonMaker(rng, seed=seed, ethnicity_ids=ethnicity_ids, taken_ids=taken_ids)
        self.record_numbers: dict[str, tuple[Bijection, int]] = {}
        self.cards = Bijection(random.Random(f"{seed}:cards"), 10**8)
        self.card_count = 0
        self.out = out
        self.people = self.events = self.periods = 0
        # Profiles already in the database, then those written here (PROFILE_FIELDS → id).
        self.profiles: dict[tuple, int] = {
            tuple(row[:-1]): row[-1]
            for row in MemberProfile.objects.values_list(*PROFILE_FIELDS, "id")
        }

    def _id(self, model: type) -> int:
        value = self.ids[model]
        self.ids[model] = value + 1
        return value

    def _profile(self, person: Row) -> int:
        """The id of the person's ``MemberProfile``, written with this batch when new."""
        key = tuple(person[field] for field in PROFILE_FIELDS)
        found = self.profiles.get(key)
        if found is None:
            found = self.profiles[key] = self._id(MemberProfile)
            self.out.add(
                MemberProfile, {"id": found, **dict(zip(PROFILE_FIELDS, key, strict=True))}
            )
        return found

    def _max_age(self, sex: str) -> float:
        male, female = self.scale.retirement_age
        return (female if sex == Sex.FEMALE else male) + 0.95

    # -- people -----------------------------------------------------------------------------

    def fill(self, unit: Unit) -> None:
        """All the people of one unit: its members, its other staff, a few who died."""
        for _ in range(unit.admitted):
            self._member(unit, in_term=True)
        for _ in range(unit.members - unit.admitted):
            self._member(unit, in_term=False)
        for _ in range(unit.non_members):
            if self.rng.random() >= FORMER_MEMBER_SHARE or not self._member(
                unit, in_term=False, leaving=True
            ):
                self._staff(unit)
        for _ in range(int(unit.members * DECEASED_PER_MEMBER + self.rng.random())):
            self._member(unit, in_term=False, leaving=True, deceased=True)

    def _person(self, unit: Unit, sex: str, dob: dt.date, kind: str) -> Row:
        person = self.maker.make(
            self._id(Person), sex=sex, date_of_birth=dob, workplace=unit.workplace, kind=kind
        )
        self.out.add(Person, person)
        self.people += 1
        return person

    def _employ(
        self, person_id: int, unit: Unit, start: dt.date, end: dt.date | None, leader_chance: float
    ) -> None:
        self.out.add(
            Employment,
            {
                "id": self._id(Employment),
                "person_id": person_id,
                "organization_id": unit.org_id,
                "unit_name": unit.workplace_name,
                "start_date": start,
                "end_date": end,
                "position": self.maker.position(unit.workplace, leader_chance=leader_chance),
            },
        )

    def _staff(self, unit: Unit) -> None:
        rng, as_of = self.rng, self.scale.as_of
        sex = self.maker.sex()
        while True:
            dob = self.maker.birth_date(as_of, low=22, high=self._max_age(sex), mode=33)
            lo = max(unit.founded_on, adult_on(dob, 21))
            hi = as_of - 30 * DAY
            if lo <= hi:
                break
        person_id = self._person(unit, sex, dob, "staff")["id"]
        self._employ(person_id, unit, random_day(rng, lo, hi), None, leader_chance=0.02)

    # -- members ----------------------------------------------------------------------------

    def _admission_date(self, sex: str, in_term: bool) -> tuple[dt.date, dt.date] | None:
        """(date of birth, admission decision date), or None to draw again."""
        rng, scale = self.rng, self.scale
        term_start, as_of = scale.term.starts_on, scale.as_of
        if in_term:
            decision = working_day(random_day(rng, term_start, as_of), lo=term_start, hi=as_of)
            dob = years_before(decision, rng.triangular(19.2, 45, 26))
            return dob, decision
        dob = self.maker.birth_date(as_of, low=26, high=self._max_age(sex), mode=42)
        earliest = max(adult_on(dob, 18) + DAY, EARLIEST_ADMISSION)
        latest = min(term_start - DAY, as_of)
        if earliest > latest:
            return None
        age_at_latest = (latest - dob).days / 365.25
        if (as_of - dob).days > 55 * 365.25 and rng.random() < 0.5:
            # The oldest often joined young, many in the army: admissions of the late 1970s.
            age = rng.triangular(18.1, 21, 18.5)
        else:
            age = rng.triangular(19, min(age_at_latest, 50), min(27, age_at_latest))
        decision = min(max(years_after(dob, age), earliest), latest)
        return dob, working_day(decision, lo=earliest, hi=latest)

    def _member(
        self, unit: Unit, *, in_term: bool, leaving: bool = False, deceased: bool = False
    ) -> bool:
        """Draw one member of ``unit``, again and again until the dates fit together."""
        for _ in range(50):
            sex = self.maker.sex(0.46)
            drawn = self._admission_date(sex, in_term)
            if drawn is None:
                continue
            draft = self._draft(unit, *drawn, leaving=leaving, deceased=deceased)
            if draft is not None:
                self._write_member(unit, sex, draft, in_term)
                return True
        if leaving:
            return False
        raise RuntimeError(f"no consistent member history for unit {unit.code}")

    def _prior_unit(self, dob: dt.date, decision: dt.date, unit: Unit) -> Unit | None:
        """Another unit where the member could have worked and been admitted."""
        for _ in range(6):
            other = self.rng.choice(self.units)
            start = max(other.founded_on, adult_on(dob, 18))
            if other is not unit and start <= decision - HALF_YEAR:
                return other
        return None

    def _draft(
        self, unit: Unit, dob: dt.date, decision: dt.date, *, leaving: bool, deceased: bool
    ) -> _Draft | None:
        """The dates of one membership, or None when they cannot fit ``unit``."""
        rng, as_of = self.rng, self.scale.as_of
        ceremony = working_day(
            decision + rng.randint(10, 40) * DAY, lo=decision, hi=self.scale.horizon
        )
        draft = _Draft(
            dob=dob, decision=decision, ceremony=ceremony, recognition=add_months(ceremony, 12)
        )
        # Worked at the unit at least half a year before the decision, or came in later.
        can_stay = max(unit.founded_on, adult_on(dob, 18)) <= decision - HALF_YEAR
        if not leaving and (not can_stay or rng.random() < TRANSFERRED_SHARE):
            prior = self._prior_unit(dob, decision, unit)
            transfer_from = max(ceremony + 30 * DAY, unit.founded_on)
            if prior is not None and transfer_from <= as_of:
                draft.prior = prior
                draft.transfer_on = random_day(rng, transfer_from, as_of)
        if draft.prior is None and not can_stay:
            return None
        if leaving:
            if deceased:
                kind, lo = Kind.DECEASED, max(draft.recognition + YEAR, years_before(as_of, 5))
            else:
                kind = rng.choice(
                    (Kind.REMOVED, Kind.REMOVED, Kind.RESIGNED, Kind.PROBATION_REMOVED)
                )
                lo = draft.recognition + YEAR
            hi = as_of - DAY
            if kind == Kind.PROBATION_REMOVED:
                lo, hi = ceremony + 300 * DAY, min(draft.recognition, as_of) - DAY
            if lo > hi:
                return None
            draft.exit_kind, draft.exit_on = kind, random_day(rng, lo, hi)
        return draft

    def _write_member(self, unit: Unit, sex: str, draft: _Draft, in_term: bool) -> None:
        """The person, their jobs, the member record, its events and the derived periods."""
        rng, as_of, horizon = self.rng, self.scale.as_of, self.scale.horizon
        person = self._person(unit, sex, draft.dob, "new_member" if in_term else "member")
        person_id = person["id"]
        counted = {"date_of_birth": draft.dob, "profile_id": self._profile(person)}
        leader = 0.25 if (as_of - draft.dob).days > 40 * 365 else 0.08
        latest_start = draft.decision - HALF_YEAR
        admitted_at = draft.prior or unit
        start = random_day(
            rng,
            max(admitted_at.founded_on, adult_on(draft.dob, 18), years_before(latest_start, 8)),
            latest_start,
        )
        if draft.prior is not None and draft.transfer_on is not None:
            self._employ(person_id, draft.prior, start, draft.transfer_on, leader_chance=0.05)
            self._employ(person_id, unit, draft.transfer_on, None, leader_chance=leader)
        else:
            died = draft.exit_kind == Kind.DECEASED
            self._employ(
                person_id, unit, start, draft.exit_on if died else None, leader_chance=leader
            )

        member_id = self._id(Member)
        member: Row = {
            "id": member_id,
            "person_id": person_id,
            "record_number": self._record_number(unit.record_suffix),
        }
        events = [self._event(member_id, Kind.ADMISSION_DECISION, draft.decision, admitted_at)]
        if draft.ceremony <= horizon:
            events.append(
                self._event(member_id, Kind.CEREMONY, draft.ceremony, admitted_at, document=False)
            )
            if draft.recognition <= horizon and draft.exit_kind != Kind.PROBATION_REMOVED:
                moved = draft.transfer_on is not None and draft.transfer_on <= draft.recognition
                events.append(
                    self._event(
                        member_id,
                        Kind.RECOGNITION,
                        draft.recognition,
                        unit if moved else admitted_at,
                    )
                )
                if draft.recognition <= as_of and rng.random() < 0.9:
                    member["card_number_old"] = f"{self.cards(self.card_count):08d}"
                    self.card_count += 1
        if draft.transfer_on is not None:
            events.append(self._event(member_id, Kind.TRANSFER, draft.transfer_on, unit))
        if draft.exit_kind is not None and draft.exit_on is not None:
            events.append(self._event(member_id, draft.exit_kind, draft.exit_on, unit))
        self.out.add(Member, member)
        for event in events:
            self.out.add(MembershipEvent, event.row())
        # The events are not model instances, but carry every attribute derive_periods reads.
        for period in derive_periods(events):  # type: ignore[arg-type]
            self.out.add(
                MembershipPeriod,
                {
                    "id": self._id(MembershipPeriod),
                    "member_id": member_id,
                    "organization_id": period.organization_id,
                    "status": period.status,
                    "valid_from": period.valid_from,
                    "valid_to": period.valid_to,
                    **counted,
                },
            )
            self.periods += 1
        self.events += len(events)

    def _event(
        self, member_id: int, kind: str, day: dt.date, unit: Unit, document: bool = True
    ) -> _Event:
        number = ""
        if document:
            suffix = "GGT" if kind == Kind.TRANSFER else self.scale.decision_suffix
            number = f"{self.rng.randint(1, 1800)}-{suffix}"
        return _Event(
            pk=self._id(MembershipEvent),
            member_id=member_id,
            kind=kind,
            date=day,
            organization_id=unit.org_id,
            document_number=number,
            document_date=day if document else None,
        )

    def _record_number(self, suffix: str) -> str:
        bijection, used = self.record_numbers.get(suffix) or (
            Bijection(random.Random(f"record:{suffix}:{self.scale.key}"), 10**6),
            0,
        )
        self.record_numbers[suffix] = (bijection, used + 1)
        return f"{bijection(used):06d}{suffix}"


def generate(
    *,
    scale: Scale,
    seed: int,
    progress: Progress | None = None,
    sink: str = "orm",
    batch_size: int = 20000,
    closure_chunk: int = 5000,
) -> Generated:
    """Write ``scale``'s organizations, term and people; deterministic for a given seed.

    ``sink`` is "orm" (bulk_create) or "fast" (COPY on PostgreSQL, executemany on SQLite).
    Each batch is its own transaction unless the caller wraps the call in one.
    """
    started = time.perf_counter()
    say = progress or (lambda text: None)
    if Organization.objects.filter(code=scale.root.code).exists():
        raise ValueError(f"organization {scale.root.code} already exists")
    rng = random.Random(seed)
    writer = make_sink(sink)
    ids = next_ids([*TREE_MODELS, *PEOPLE_MODELS])

    plan = TreePlanner(scale, rng, ids[Organization], ids[OrganizationLink]).plan_tree()
    with transaction.atomic():
        writer.write(Organization, [as_row(org) for org in plan.organizations])
        writer.write(OrganizationLink, [as_row(link) for link in plan.links])
        term = Term.objects.create(
            organization_id=plan.root.id,
            name=scale.term.name,
            starts_on=scale.term.starts_on,
            ends_on=scale.term.ends_on,
            resolution=scale.term.resolution,
        )
        reset_sequences(TREE_MODELS)
    say(
        f"Cây tổ chức: {vn(plan.grassroots_count)} tổ chức cơ sở đảng, "
        f"{vn(plan.branch_count)} chi bộ trực thuộc, {vn(len(plan.organizations))} tổ chức."
    )
    closure_rows = 0
    org_ids = [org.id for org in plan.organizations]
    for start in range(0, len(org_ids), closure_chunk):
        with transaction.atomic():
            closure_rows += rebuild_closure(org_ids[start : start + closure_chunk])
    say(f"Quan hệ trực thuộc (bao đóng): {vn(closure_rows)} dòng.")
    plan.organizations.clear()  # written: keep only the units in memory from here on
    plan.links.clear()

    ethnicity_ids = dict(Ethnicity.objects.values_list("code", "id"))
    taken: set[str] = set()
    if Person.objects.exists():
        taken = {cid for cid in Person.objects.values_list("citizen_id", flat=True) if cid}
    batch = _Batch(writer)
    population = _Population(
        scale,
        rng,
        seed=seed,
        units=plan.units,
        ids=ids,
        ethnicity_ids=ethnicity_ids,
        taken_ids=taken,
        out=batch,
    )
    last_report = time.perf_counter()
    for unit in plan.units:
        population.fill(unit)
        if len(batch) >= batch_size:
            batch.flush()
            if time.perf_counter() - last_report > 5 or scale.staff < 10 * batch_size:
                last_report = time.perf_counter()
                say(
                    f"Đã tạo {vn(population.people)}/{vn(scale.staff)} người "
                    f"({time.perf_counter() - started:.0f} giây)."
                )
    batch.flush()
    with transaction.atomic():
        reset_sequences(PEOPLE_MODELS)
    sample = next((u.org_id for u in plan.units if u.in_committee and 25 <= u.members <= 60), None)
    say(
        f"Đã tạo {vn(population.people)} người, {vn(scale.members)} đảng viên, "
        f"{vn(population.events)} sự kiện đảng tịch."
    )
    return Generated(
        root_id=plan.root.id,
        term_id=term.id,
        organizations=len(org_ids),
        grassroots=plan.grassroots_count,
        branches=plan.branch_count,
        people=population.people,
        staff=scale.staff,
        members=scale.members,
        admitted_in_term=scale.admitted_in_term,
        events=population.events,
        periods=population.periods,
        closure_rows=closure_rows,
        sample_branch_id=sample,
        seconds=time.perf_counter() - started,
    )


def analyze() -> None:
    """Refresh the planner's statistics after a bulk load (and, on PostgreSQL, the visibility
    map that index-only scans need). Call it outside a transaction."""
    statement = "VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(statement)
