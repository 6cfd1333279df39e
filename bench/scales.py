"""Scale presets for the benchmarks (fictional data, published orders of magnitude).

- hcmc: Ho Chi Minh City after the 2025 merger: more than 366,000 members, 10,641 grassroots
  organizations, 173 committees under the city committee (DOMAIN §1); staff about 2.4× members.
- national: more than 5.6 million members, about 52,000 grassroots organizations.
- custom: any member count, with HCMC's proportions.
"""

from __future__ import annotations

import datetime as dt

from dangbo.demo.plan import RootSpec, Scale, TermSpec
from dangbo.organizations.models import OrganizationLevel

AS_OF = dt.date(2025, 12, 31)
TERM = TermSpec(
    name="Nhiệm kỳ 2025–2030",
    starts_on=dt.date(2025, 10, 15),
    ends_on=dt.date(2030, 10, 14),
    resolution="Nghị quyết Đại hội đại biểu Đảng bộ lần thứ I (dữ liệu thử tải)",
)
STAFF_PER_MEMBER = 2.4
MEMBERS_PER_GRASSROOTS = 366_000 / 10_641
GRASSROOTS_PER_COMMITTEE = 10_641 / 173
# About 3.5% of members admitted a year (DOMAIN §3), over the term's first 78 days to AS_OF.
ADMITTED_SHARE = 0.035 * ((AS_OF - TERM.starts_on).days + 1) / 365


def _city(key: str, code: str, members: int, grassroots: int, committees: int) -> Scale:
    return Scale(
        key=key,
        root=RootSpec(
            code=code,
            name="Đảng bộ Thành phố Hồ Chí Minh",
            short_name="Thành ủy TP Hồ Chí Minh (dữ liệu thử tải)",
            level=OrganizationLevel.PROVINCIAL,
            founded_on=dt.date(1975, 5, 30),
            place_name="TP Hồ Chí Minh",
        ),
        term=TERM,
        as_of=AS_OF,
        horizon=dt.date(2026, 6, 30),
        members=members,
        staff=round(members * STAFF_PER_MEMBER),
        admitted_in_term=round(members * ADMITTED_SHARE),
        grassroots=grassroots,
        upper_committees=committees,
        retirement_age=(61, 56),
        decision_suffix="QĐ/ĐU",
        late_founding_until=dt.date(2018, 12, 31),
        early_founding_share=0.45,
    )


HCMC = _city("hcmc", "TU-HCM", 366_000, 10_641, 173)

NATIONAL = Scale(
    key="national",
    root=RootSpec(
        code="TW",
        name="Đảng Cộng sản Việt Nam",
        short_name="Toàn Đảng (dữ liệu thử tải)",
        level=OrganizationLevel.CENTRAL,
        founded_on=dt.date(1930, 2, 3),
        place_name="Hà Nội",
    ),
    term=TERM,
    as_of=AS_OF,
    horizon=dt.date(2026, 6, 30),
    members=5_600_000,
    staff=round(5_600_000 * STAFF_PER_MEMBER),
    admitted_in_term=round(5_600_000 * ADMITTED_SHARE),
    grassroots=52_000,
    upper_committees=3_500,
    provinces=34,
    retirement_age=(61, 56),
    decision_suffix="QĐ/ĐU",
    late_founding_until=dt.date(2018, 12, 31),
    early_founding_share=0.45,
)


def custom(members: int) -> Scale:
    """HCMC's proportions for any number of members."""
    grassroots = max(1, round(members / MEMBERS_PER_GRASSROOTS))
    committees = max(1, round(grassroots / GRASSROOTS_PER_COMMITTEE))
    return _city(f"members-{members}", f"BENCH-{members}", members, grassroots, committees)


PRESETS = {"hcmc": HCMC, "national": NATIONAL}
