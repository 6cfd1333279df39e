"""What to generate (``Scale``) and the organization tree laid out for it (``plan_tree``).

The plan fixes every exact figure before any person is drawn: members, term admissions and
non-member staff are apportioned to grassroots organizations and then to their branches, so the
totals as of ``Scale.as_of`` come out exact whatever the random draws.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from dangbo.demo import names
from dangbo.demo.people import Workplace, random_day
from dangbo.organizations.models import (
    Organization,
    OrganizationKind,
    OrganizationLevel,
    OrganizationLink,
)
from dangbo.organizations.services import derive_text_fields

COMMITTEE_MIN_MEMBERS = 30  # A grassroots organization this large is a committee with branches.
BRANCH_MIN_MEMBERS = 3  # A branch needs at least three members.


@dataclass(frozen=True)
class RootSpec:
    code: str
    name: str
    short_name: str
    level: str
    founded_on: dt.date
    place_name: str = ""  # printed before the date on its documents and forms


@dataclass(frozen=True)
class TermSpec:
    name: str
    starts_on: dt.date
    ends_on: dt.date
    resolution: str


@dataclass(frozen=True)
class Scale:
    """How much to generate. Members, staff and term admissions are exact as of ``as_of``."""

    key: str
    root: RootSpec
    term: TermSpec
    as_of: dt.date
    horizon: dt.date  # No event is dated after this day.
    members: int
    staff: int
    admitted_in_term: int
    grassroots: int
    upper_committees: int = 0  # 0: the root is itself the upper-grassroots committee.
    provinces: int = 0  # Provincial committees under a central root.
    retirement_age: tuple[int, int] = (60, 55)  # Men, women, in full years on ``as_of``.
    decision_suffix: str = "QĐ/ĐU"
    residence_areas: tuple[str, ...] = ("Thành phố Hồ Chí Minh",)
    late_founding_until: dt.date = dt.date(2012, 12, 31)
    early_founding_share: float = 0.85
    named_workplaces: bool = False  # the demo's 69 hand-named organizations


@dataclass
class Unit:
    """Where members register and staff work: a branch, or a grassroots branch."""

    org_id: int
    code: str
    founded_on: dt.date
    members: int
    admitted: int
    non_members: int
    workplace_name: str
    workplace: Workplace
    record_suffix: str
    in_committee: bool


@dataclass
class TreePlan:
    """The organizations and links to write, and the units to fill with people."""

    root: Organization
    organizations: list[Organization]
    links: list[OrganizationLink]
    units: list[Unit]
    grassroots_count: int
    branch_count: int


@dataclass
class _Parent:
    """A committee directly above grassroots organizations, with what its people look like."""

    org: Organization
    founded_on: dt.date
    catalog: str  # "bloc" (functional groups) or "ward" (communes, schools, companies)
    area: str  # "phường X" for ward committees
    province: str
    home_prefix: str
    record_suffix: str
    weight: float


def apportion(total: int, weights: Sequence[float], caps: Sequence[int] | None = None) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainders), each at
    most its cap; the parts always add up to ``total``."""
    count = len(weights)
    limits = list(caps) if caps is not None else [total] * count
    if total > sum(limits):
        raise ValueError("caps too small for the total")
    result = [0] * count
    remaining = total
    open_ = [i for i in range(count) if limits[i] > 0]
    while remaining > 0 and open_:
        weight_sum = sum(weights[i] for i in open_) or float(len(open_))
        shares = {
            i: remaining * ((weights[i] / weight_sum) if weight_sum else 1 / len(open_))
            for i in open_
        }
        given = 0
        for i in open_:
            add = min(int(shares[i]), limits[i] - result[i])
            result[i] += add
            given += add
        left = remaining - given
        by_remainder = sorted(open_, key=lambda i: (-(shares[i] - int(shares[i])), i))
        for i in by_remainder:
            if left == 0:
                break
            if result[i] < limits[i]:
                result[i] += 1
                left -= 1
        remaining = left
        open_ = [i for i in open_ if result[i] < limits[i]]
    return result


class TreePlanner:
    """Lays out the organizations of a scale and apportions people to them."""

    def __init__(
        self, scale: Scale, rng: random.Random, next_org_id: int, next_link_id: int
    ) -> None:
        self.scale = scale
        self.rng = rng
        self.next_org_id = next_org_id
        self.next_link_id = next_link_id
        self.organizations: list[Organization] = []
        self.links: list[OrganizationLink] = []
        self.units: list[Unit] = []
        self.grassroots_count = 0
        self.branch_count = 0

    # -- organizations ----------------------------------------------------------------------

    def _org(
        self,
        *,
        code: str,
        name: str,
        level: str,
        kind: str,
        founded_on: dt.date,
        parent: Organization | None,
        short_name: str = "",
        place_name: str = "",
        group: str = "",
        statistics_type: str = "",
    ) -> Organization:
        org = Organization(
            id=self.next_org_id,
            code=code,
            name=name,
            short_name=short_name,
            place_name=place_name,
            level=level,
            kind=kind,
            functional_group=group,
            statistics_type=statistics_type,
            founded_on=founded_on,
        )
        self.next_org_id += 1
        derive_text_fields(org)
        self.organizations.append(org)
        if parent is not None:
            self.links.append(
                OrganizationLink(
                    id=self.next_link_id,
                    child_id=org.id,
                    parent_id=parent.id,
                    valid_from=founded_on,
                )
            )
            self.next_link_id += 1
        return org

    def _founded(self, parent_founded: dt.date) -> dt.date:
        start = parent_founded + dt.timedelta(days=1)
        if self.rng.random() < self.scale.early_founding_share:
            return random_day(self.rng, start, start + dt.timedelta(days=365))
        return random_day(self.rng, start, max(start, self.scale.late_founding_until))

    def plan_tree(self) -> TreePlan:
        spec = self.scale.root
        root = self._org(
            code=spec.code,
            name=spec.name,
            short_name=spec.short_name,
            place_name=spec.place_name,
            level=spec.level,
            kind=OrganizationKind.COMMITTEE,
            founded_on=spec.founded_on,
            parent=None,
        )
        self._grassroots(self._upper_committees(root))
        return TreePlan(
            root=root,
            organizations=self.organizations,
            links=self.links,
            units=self.units,
            grassroots_count=self.grassroots_count,
            branch_count=self.branch_count,
        )

    def _upper_committees(self, root: Organization) -> list[_Parent]:
        scale = self.scale
        hcm = ("Thành phố Hồ Chí Minh", "HCM", "079")
        if scale.upper_committees == 0:
            return [
                _Parent(
                    org=root,
                    founded_on=scale.root.founded_on,
                    catalog="bloc",
                    area="",
                    province=hcm[0],
                    home_prefix=hcm[2],
                    record_suffix=hcm[1],
                    weight=1.0,
                )
            ]
        provinces: list[tuple[Organization, dt.date, tuple[str, str, str]]] = []
        if scale.provinces:
            reunified = dt.date(1976, 7, 2)
            for index in range(scale.provinces):
                province = names.PROVINCES_2025[index % len(names.PROVINCES_2025)]
                org = self._org(
                    code=f"{root.code}-{index + 1:02d}",
                    name=f"Đảng bộ {province[0]}",
                    level=OrganizationLevel.PROVINCIAL,
                    kind=OrganizationKind.COMMITTEE,
                    founded_on=reunified,
                    parent=root,
                )
                provinces.append((org, reunified, province))
        else:
            provinces.append((root, scale.root.founded_on, hcm))
        weights = [3.0 if p[2][1] in ("HCM", "HNI") else 1.0 for p in provinces]
        counts = apportion(scale.upper_committees, weights)
        parents: list[_Parent] = []
        for (province_org, province_founded, province), count in zip(
            provinces, counts, strict=True
        ):
            used: set[str] = set()
            for index in range(count):
                code = f"{province_org.code}-{index + 1:03d}"
                if index < len(names.UPPER_AGENCY_NAMES) and count > 20:
                    name = names.UPPER_AGENCY_NAMES[index]
                    if province_org is not root:
                        name = name.replace("Thành phố", province[0][0].lower() + province[0][1:])
                    catalog, area, weight = "bloc", "", 3.0
                else:
                    while True:
                        area = ("phường " if self.rng.random() < 0.6 else "xã ") + (
                            names.place_name(self.rng)
                        )
                        if area not in used:
                            used.add(area)
                            break
                    name = f"Đảng bộ {area}"
                    catalog, weight = "ward", 1.0
                founded = self._founded(province_founded)
                org = self._org(
                    code=code,
                    name=name,
                    level=OrganizationLevel.UPPER,
                    kind=OrganizationKind.COMMITTEE,
                    parent=province_org,
                    founded_on=founded,
                )
                parents.append(
                    _Parent(
                        org=org,
                        founded_on=founded,
                        catalog=catalog,
                        area=area,
                        province=province[0],
                        home_prefix=province[2],
                        record_suffix=province[1],
                        weight=weight * self.rng.uniform(0.6, 1.4),
                    )
                )
        return parents

    # -- grassroots organizations and branches ----------------------------------------------

    def _workplaces(self, parents: list[_Parent]) -> list[tuple[_Parent, str, str, str, float]]:
        """(parent, workplace name, functional group, statistics type, size weight) for every
        grassroots organization."""
        scale = self.scale
        rng = self.rng
        if scale.named_workplaces:
            if scale.upper_committees or scale.grassroots != len(names.DEMO_WORKPLACES):
                raise ValueError("the named workplaces are the demo's 69, under the root")
            parent = parents[0]
            return [(parent, w, g, t, size) for w, g, t, size in names.DEMO_WORKPLACES]
        counts = apportion(scale.grassroots, [p.weight for p in parents])
        ward_templates = names.Weighted([(t, 1.0) for t in names.WARD_WORKPLACES])
        result = []
        for parent, count in zip(parents, counts, strict=True):
            numbers: dict[str, int] = {}
            for index in range(count):
                if parent.catalog == "bloc":
                    workplace, group, stype, size = names.DEMO_WORKPLACES[
                        index % len(names.DEMO_WORKPLACES)
                    ]
                    if index >= len(names.DEMO_WORKPLACES):
                        workplace = f"{workplace} (cơ sở {index // len(names.DEMO_WORKPLACES) + 1})"
                    size = size / 120 * 35
                else:
                    template, stype, size = ward_templates.pick(rng)
                    numbers[template] = numbers.get(template, 0) + 1
                    workplace = template.format(
                        n=numbers[template], p=names.place_name(rng), w=parent.area
                    )
                    group = ""
                    size = size * 30
                result.append((parent, workplace, group, stype, size * math.exp(rng.gauss(0, 0.7))))
        return result

    def _grassroots(self, parents: list[_Parent]) -> None:
        scale = self.scale
        rng = self.rng
        places = self._workplaces(parents)
        if scale.members < BRANCH_MIN_MEMBERS * len(places):
            raise ValueError("too few members for the organizations")
        members = [
            m + BRANCH_MIN_MEMBERS
            for m in apportion(
                scale.members - BRANCH_MIN_MEMBERS * len(places), [p[4] for p in places]
            )
        ]
        non_members = apportion(
            scale.staff - scale.members,
            [
                m * (names.STAFF_RATIO.get(p[2], 2.4) - 1) * rng.uniform(0.8, 1.2)
                for m, p in zip(members, places, strict=True)
            ],
        )
        admitted = apportion(
            scale.admitted_in_term,
            [m * rng.uniform(0.7, 1.3) for m in members],
            caps=[int(m * 0.7) for m in members],
        )
        for index, (parent, workplace, group, stype, _) in enumerate(places):
            m, n, a = members[index], non_members[index], admitted[index]
            committee = m >= COMMITTEE_MIN_MEMBERS
            kind = OrganizationKind.COMMITTEE if committee else OrganizationKind.BRANCH
            founded = self._founded(parent.founded_on)
            org = self._org(
                code=f"{parent.org.code}-{index + 1:02d}"
                if scale.upper_committees == 0
                else f"{parent.org.code}-{index + 1:05d}",
                name=("Đảng bộ " if committee else "Chi bộ ") + workplace,
                level=OrganizationLevel.GRASSROOTS,
                kind=kind,
                parent=parent.org,
                founded_on=founded,
                group=group,
                statistics_type=stype,
            )
            self.grassroots_count += 1
            profile = Workplace(
                statistics_type=stype,
                home_prefix=parent.home_prefix,
                residence_areas=scale.residence_areas
                if parent.home_prefix == "079"
                else (parent.province,),
                positions=names.positions_for(workplace),
            )
            if not committee:
                self.units.append(
                    Unit(
                        org_id=org.id,
                        code=org.code,
                        founded_on=founded,
                        members=m,
                        admitted=a,
                        non_members=n,
                        workplace_name=workplace,
                        workplace=profile,
                        record_suffix=parent.record_suffix,
                        in_committee=False,
                    )
                )
                continue
            self._branches(org, founded, workplace, profile, parent.record_suffix, m, a, n)

    def _branches(
        self,
        org: Organization,
        org_founded: dt.date,
        workplace: str,
        profile: Workplace,
        suffix: str,
        members: int,
        admitted: int,
        non_members: int,
    ) -> None:
        rng = self.rng
        count = max(2, min(45, round(members / rng.uniform(14, 30))))
        sizes = [
            s + BRANCH_MIN_MEMBERS
            for s in apportion(
                members - BRANCH_MIN_MEMBERS * count,
                [math.exp(rng.gauss(0, 0.5)) for _ in range(count)],
            )
        ]
        branch_admitted = apportion(admitted, [float(s) for s in sizes], caps=sizes)
        branch_staff = apportion(non_members, [s * rng.uniform(0.6, 1.4) for s in sizes])
        pool = list(names.branch_departments(workplace))
        rng.shuffle(pool)
        for index in range(count):
            department = pool[index % len(pool)]
            if index >= len(pool):
                department = f"{department} {index // len(pool) + 1}"
            founded = org_founded if rng.random() < 0.75 else self._founded(org_founded)
            branch = self._org(
                code=f"{org.code}-{index + 1:02d}",
                name=f"Chi bộ {department}",
                level=OrganizationLevel.BRANCH,
                kind=OrganizationKind.BRANCH,
                parent=org,
                founded_on=founded,
            )
            self.branch_count += 1
            self.units.append(
                Unit(
                    org_id=branch.id,
                    code=branch.code,
                    founded_on=founded,
                    members=sizes[index],
                    admitted=branch_admitted[index],
                    non_members=branch_staff[index],
                    workplace_name=f"{department}, {workplace}",
                    workplace=profile,
                    record_suffix=suffix,
                    in_committee=True,
                )
            )
