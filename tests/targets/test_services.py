"""targets.services: terms and targets are written with their audit row, or refused in
Vietnamese with nothing changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangbo.core.models import AuditEntry
from dangbo.targets import services
from dangbo.targets.models import Target, Term
from tests.targets.conftest import END, START, counts


def create_term(actor, organization, **overrides) -> Term:
    data = {
        "name": "  Nhiệm kỳ   2025–2030 ",
        "starts_on": dt.date(2025, 10, 1),
        "ends_on": dt.date(2030, 9, 30),
        "resolution": " Nghị quyết Đại hội lần thứ III ",
    }
    data.update(overrides)
    return services.create_term(actor=actor, organization=organization, **data)


# --- Terms ----------------------------------------------------------------------------------------


def test_create_term_writes_the_term_and_one_audit_row(tree, users):
    # when
    term = create_term(users.root_manager, tree.gc)
    # then
    assert (term.organization, term.name, term.resolution) == (
        tree.gc,
        "Nhiệm kỳ 2025–2030",
        "Nghị quyết Đại hội lần thứ III",
    )
    entry = AuditEntry.objects.get(object_type="targets.term")
    assert (entry.action, entry.actor, entry.organization, entry.object_id) == (
        "create",
        users.root_manager,
        tree.gc,
        str(term.pk),
    )
    assert entry.changes["starts_on"] == [None, "2025-10-01"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"ends_on": dt.date(2025, 10, 1)},
            "ends_on",
            "Nhiệm kỳ phải kết thúc sau ngày bắt đầu.",
        ),
        ({"name": "   "}, "name", "Hãy nhập tên nhiệm kỳ."),
        (
            {"starts_on": dt.date(1900, 1, 1)},
            "starts_on",
            "Ngày phải nằm trong khoảng từ 03/02/1930 đến 31/12/9998.",
        ),
        (
            {"starts_on": dt.date(2023, 9, 27), "ends_on": dt.date(2028, 9, 30)},
            "starts_on",
            "Nhiệm kỳ trùng thời gian với nhiệm kỳ “Nhiệm kỳ 2021–2023” của cùng tổ chức "
            "(01/01/2021 – 27/09/2023).",
        ),
    ],
)
def test_create_term_refusals_change_nothing(tree, users, term, overrides, field, message):
    # given
    before = counts()
    # when
    with pytest.raises(ValidationError) as refused:
        create_term(users.root_manager, tree.root, **overrides)
    # then
    assert refused.value.message_dict == {field: [message]}
    assert counts() == before


def test_terms_of_different_organizations_may_overlap(tree, users, term):
    created = create_term(users.root_manager, tree.gc, starts_on=START, ends_on=END)

    assert created.pk != term.pk


@pytest.mark.parametrize("username", ["gc_viewer", "statistician", "a2_manager", "nobody"])
def test_create_term_outside_the_write_scope_is_refused(tree, users, username):
    before = counts()

    with pytest.raises(PermissionDenied) as refused:
        create_term(getattr(users, username), tree.a1)

    assert str(refused.value) == "Bạn không có quyền cập nhật dữ liệu của tổ chức “Chi bộ Phòng 1”."
    assert counts() == before


def test_update_term_audits_the_changed_fields_only(tree, users, term):
    # when
    services.update_term(
        actor=users.root_manager,
        term=term,
        name=term.name,
        starts_on=START,
        ends_on=dt.date(2023, 10, 31),
        resolution=term.resolution,
    )
    # then
    term.refresh_from_db()
    assert term.ends_on == dt.date(2023, 10, 31)
    entry = AuditEntry.objects.get(object_type="targets.term", action="update")
    assert entry.changes == {"ends_on": ["2023-09-27", "2023-10-31"]}


# --- Targets --------------------------------------------------------------------------------------


def test_set_target_creates_then_replaces_with_audit(tree, users, term):
    # when
    created = services.set_target(
        actor=users.root_manager,
        term=term,
        organization=tree.root,
        new_members=1800,
        resolution=" Nghị quyết Đại hội lần thứ I ",
    )
    updated = services.set_target(
        actor=users.root_manager,
        term=term,
        organization=tree.root,
        new_members=1800,
        yearly_rate_percent=Decimal("3.5"),
        resolution="Nghị quyết Đại hội lần thứ I",
    )
    services.set_target(  # no change: no audit row
        actor=users.root_manager,
        term=term,
        organization=tree.root,
        new_members=1800,
        yearly_rate_percent=Decimal("3.50"),
        resolution="Nghị quyết Đại hội lần thứ I",
    )
    # then
    assert created.pk == updated.pk
    target = Target.objects.get()
    assert (target.new_members, target.yearly_rate_percent, target.resolution) == (
        1800,
        Decimal("3.50"),
        "Nghị quyết Đại hội lần thứ I",
    )
    entries = AuditEntry.objects.filter(object_type="targets.target").order_by("id")
    assert [(e.action, e.organization) for e in entries] == [
        ("create", tree.root),
        ("update", tree.root),
    ]
    assert entries[1].changes == {"yearly_rate_percent": [None, "3.50"]}


@pytest.mark.parametrize(
    ("new_members", "rate"),
    [(1, None), (None, Decimal("0.01")), (None, Decimal("100")), (5000, Decimal("4"))],
)
def test_target_values_at_the_bounds_are_accepted(tree, users, term, new_members, rate):
    target = services.set_target(
        actor=users.root_manager,
        term=term,
        organization=tree.root,
        new_members=new_members,
        yearly_rate_percent=rate,
    )

    assert (target.new_members, target.yearly_rate_percent) == (new_members, rate)


RATE_MESSAGE = "Tỷ lệ hằng năm phải lớn hơn 0 và không quá 100 (phần trăm số đảng viên)."
NEW_MEMBERS_MESSAGE = "Số đảng viên mới phải là một số nguyên dương."


@pytest.mark.parametrize(
    ("new_members", "rate", "errors"),
    [
        (0, None, {"new_members": [NEW_MEMBERS_MESSAGE]}),
        (-5, None, {"new_members": [NEW_MEMBERS_MESSAGE]}),
        (None, Decimal("0"), {"yearly_rate_percent": [RATE_MESSAGE]}),
        (None, Decimal("-1"), {"yearly_rate_percent": [RATE_MESSAGE]}),
        (None, Decimal("100.01"), {"yearly_rate_percent": [RATE_MESSAGE]}),
        (
            None,
            None,
            {
                "new_members": [
                    "Hãy nhập số đảng viên mới cả nhiệm kỳ, tỷ lệ hằng năm, hoặc cả hai."
                ]
            },
        ),
    ],
)
def test_bad_target_values_are_refused(tree, users, term, new_members, rate, errors):
    # given
    before = counts()
    # when
    with pytest.raises(ValidationError) as refused:
        services.set_target(
            actor=users.root_manager,
            term=term,
            organization=tree.root,
            new_members=new_members,
            yearly_rate_percent=rate,
        )
    # then
    assert refused.value.message_dict == errors
    assert counts() == before


def test_target_for_an_organization_outside_the_term_is_refused(tree, users):
    # given a term of branch a1
    term = Term.objects.create(
        organization=tree.a1, name="Nhiệm kỳ chi bộ", starts_on=START, ends_on=END
    )
    before = counts()
    # when a target is set on its sibling a2, or on the committee above it
    for organization in (tree.a2, tree.gc):
        with pytest.raises(ValidationError) as refused:
            services.set_target(
                actor=users.root_manager, term=term, organization=organization, new_members=3
            )
        # then
        assert refused.value.message_dict == {
            "organization": [
                "Nhiệm kỳ “Nhiệm kỳ chi bộ” là của “Chi bộ Phòng 1”; chỉ có thể đặt chỉ tiêu "
                "cho tổ chức đó hoặc tổ chức trực thuộc."
            ]
        }
    assert counts() == before


def test_a_branch_manager_sets_the_branch_target_in_the_committee_term(tree, users, term):
    target = services.set_target(
        actor=users.a1_manager, term=term, organization=tree.a1, new_members=3
    )

    assert target.organization == tree.a1


def test_a_target_outside_the_write_scope_is_refused(tree, users, term):
    before = counts()

    for actor, organization in [
        (users.a1_manager, tree.root),
        (users.a1_manager, tree.a2),
        (users.gc_viewer, tree.gc),
        (users.statistician, tree.root),
    ]:
        with pytest.raises(PermissionDenied):
            services.set_target(actor=actor, term=term, organization=organization, new_members=10)

    assert counts() == before


def test_delete_target_is_audited(tree, users, term):
    target = services.set_target(
        actor=users.root_manager, term=term, organization=tree.gc, new_members=10
    )

    services.delete_target(actor=users.root_manager, target=target)

    assert not Target.objects.exists()
    entry = AuditEntry.objects.get(object_type="targets.target", action="delete")
    assert entry.changes["new_members"] == [10, None]
    assert entry.organization == tree.gc
