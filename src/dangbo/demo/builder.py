"""The demo: a fictional bloc committee reproducing the seed article's figures as of 31/12/2019.

ALL DATA BUILT HERE IS FICTIONAL. The committee's name and figures come from the article
(69 grassroots organizations, 8,445 members among 20,463 staff, 2,106 admissions in the
2015–2020 term by 12/2019); every person, number and history is drawn at random with a fixed
seed, and the organization names are invented or generic.

The admission candidates (``demo.candidates``) include cases admitted by 31/12/2019 through the
admission services; the population is generated short of the members and admissions they add,
so that the figures on that day stay exact.

The term's dates are our choice: 15/07/2015 to 30/09/2020, and so is its target (the article
says only that it was exceeded): 1,800 new members over the term, which the 2,106 admissions
counted by 31/12/2019 exceed.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from dangbo.core import audit
from dangbo.core.models import Role, RoleGrant
from dangbo.demo.candidates import add_candidates, counted_on
from dangbo.demo.generator import Generated, generate, vn
from dangbo.demo.names import HCMC_DISTRICTS
from dangbo.demo.plan import RootSpec, Scale, TermSpec
from dangbo.organizations.models import Organization, OrganizationLevel
from dangbo.targets.models import Target, Term

__all__ = ["DEMO", "DEMO_SEED", "build_demo", "demo_exists", "generate"]

DEMO_ROOT_CODE = "DCD-HCM"
DEMO_SEED = 20191231
DEMO_PASSWORD = "demo"
DEMO_AS_OF = dt.date(2019, 12, 31)
DEMO_TARGET_NEW_MEMBERS = 1800

DEMO = Scale(
    key="demo",
    root=RootSpec(
        code=DEMO_ROOT_CODE,
        name="Đảng bộ Khối Dân – Chính – Đảng TP Hồ Chí Minh",
        short_name="Đảng bộ Khối (dữ liệu mẫu hư cấu)",
        level=OrganizationLevel.UPPER,
        founded_on=dt.date(1975, 6, 1),
        place_name="TP Hồ Chí Minh",
    ),
    term=TermSpec(
        name="Nhiệm kỳ 2015–2020",
        starts_on=dt.date(2015, 7, 15),
        ends_on=dt.date(2020, 9, 30),
        resolution="Nghị quyết Đại hội đại biểu Đảng bộ Khối lần thứ II",
    ),
    as_of=DEMO_AS_OF,
    # Probationary members of late 2019 are recognized through 2020; nothing later is recorded.
    horizon=dt.date(2021, 6, 30),
    members=8445,
    staff=20463,
    admitted_in_term=2106,
    grassroots=69,
    retirement_age=(60, 55),
    decision_suffix="QĐ/ĐUK",
    residence_areas=tuple(f"{d}, Thành phố Hồ Chí Minh" for d in HCMC_DISTRICTS),
    named_workplaces=True,
)


def demo_exists() -> bool:
    """Has the demo been built in this database (its root committee exists)?"""
    return Organization.objects.filter(code=DEMO_ROOT_CODE).exists()


def build_demo(progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Build the demo data and its two accounts in one transaction; returns counts and seconds."""
    started = time.perf_counter()
    added = counted_on(DEMO.as_of, DEMO.term.starts_on)
    scale = replace(
        DEMO,
        members=DEMO.members - added.members,
        admitted_in_term=DEMO.admitted_in_term - added.admitted_in_term,
    )
    with transaction.atomic():
        generated = generate(scale=scale, seed=DEMO_SEED, progress=progress)
        _set_term_target(generated)
        _add_later_terms(generated.root_id)
        admin = _create_accounts(generated)
        candidates = add_candidates(admin, first_branch_id=generated.sample_branch_id)
        # The figures on 31/12/2019, with the candidates admitted by then.
        members = generated.members + added.members
        admitted = generated.admitted_in_term + added.admitted_in_term
        if progress is not None:
            progress(
                f"Hồ sơ kết nạp: {vn(candidates)} quần chúng ưu tú; đến {DEMO.as_of:%d/%m/%Y}: "
                f"{vn(members)} đảng viên, {vn(admitted)} đảng viên kết nạp trong nhiệm kỳ."
            )
        audit.record(
            actor=None,
            action=audit.AuditAction.CREATE,
            object_type="demo",
            object_repr="Dữ liệu mẫu",
            organization=Organization.objects.get(pk=generated.root_id),
            changes={
                "seed": DEMO_SEED,
                "members": members,
                "staff": generated.staff,
                "people": generated.people,
                "candidates": candidates,
                "fictional": True,
            },
        )
    summary = {key: value for key, value in generated.__dict__.items() if key != "seconds"}
    summary["members"] = members
    summary["admitted_in_term"] = admitted
    summary["candidates"] = candidates
    summary["seconds"] = time.perf_counter() - started
    return summary


def _set_term_target(generated: Generated) -> None:
    """The 2015–2020 Congress resolution's target for the committee: new members over the term."""
    Target.objects.create(
        term_id=generated.term_id,
        organization_id=generated.root_id,
        new_members=DEMO_TARGET_NEW_MEMBERS,
        resolution=DEMO.term.resolution,
    )


def _add_later_terms(root_id: int) -> None:
    """The terms after the seed's, so that today's dashboard names its term (no admissions are
    recorded after 2019 in the sample data, so they count 0)."""
    for name, starts_on, ends_on, congress in (
        ("Nhiệm kỳ 2020–2025", dt.date(2020, 10, 1), dt.date(2025, 9, 30), "III"),
        ("Nhiệm kỳ 2025–2030", dt.date(2025, 10, 1), dt.date(2030, 9, 30), "IV"),
    ):
        Term.objects.create(
            organization_id=root_id,
            name=name,
            starts_on=starts_on,
            ends_on=ends_on,
            resolution=f"Nghị quyết Đại hội đại biểu Đảng bộ Khối lần thứ {congress}",
        )


def _create_accounts(generated: Generated):
    """demo-admin administers the whole committee (its records, and its accounts, rules and
    document templates); demo-branch manages one branch of a grassroots committee."""
    users = get_user_model()
    password = make_password(DEMO_PASSWORD)  # hashing is slow on purpose: do it once
    admin = users.objects.create(username="demo-admin", password=password)
    RoleGrant.objects.create(user=admin, organization_id=generated.root_id, role=Role.ADMINISTRATOR)
    if generated.sample_branch_id is not None:
        branch_user = users.objects.create(username="demo-branch", password=password)
        RoleGrant.objects.create(
            user=branch_user, organization_id=generated.sample_branch_id, role=Role.MANAGER
        )
    return admin
