"""The rule set (core.services.add_rule_version and the seeded rules): who may add a version,
how values are checked by the kind of the rule, and that a version in force for past dates never
changes, so a case already judged keeps its rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangbo.core import services
from dangbo.core.models import AuditEntry, Role, Rule
from dangbo.core.rules import rule_in_force, rule_value
from tests.factories import UserFactory, grant

D = dt.date
CHARTER = D(2011, 1, 19)
DEADLINE = "admission.decision_deadline_working_days"


@pytest.fixture
def root_admin(tree):
    """Administrator of the top of the tree: may change the national rules."""
    user = UserFactory(username="root_admin")
    grant(user, tree.root, Role.ADMINISTRATOR)
    return user


@pytest.fixture
def gc_admin(tree):
    """Administrator of Đảng bộ Sở A, under the root: may not change the rules."""
    user = UserFactory(username="gc_admin")
    grant(user, tree.gc, Role.ADMINISTRATOR)
    return user


def state() -> tuple:
    """Everything a refused change must leave as it was."""
    return (
        sorted(
            Rule.objects.values_list(
                "key", "value", "valid_from", "valid_to", "source_document", "description"
            )
        ),
        AuditEntry.objects.count(),
    )


def add(actor, key=DEADLINE, **changes) -> Rule:
    data = {
        "value": 45,
        "valid_from": D(2027, 1, 1),
        "source_document": "QĐ 999-QĐ/TW (2026), điểm 4.3.1",
        "description": "",
        **changes,
    }
    return services.add_rule_version(actor=actor, key=key, **data)


def message(error) -> str:
    return " ".join(error.value.messages)


# --- the seeded rules -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("admission.decision_deadline_working_days", 60),
        ("admission.ceremony_deadline_working_days", 30),
        ("membership.recognition_review_deadline_working_days", 30),
        ("membership.recognition_decision_deadline_working_days", 30),
        ("admission.deadline_extension_max_working_days", 30),
        ("admission.certificate_max_age_months", 60),
        ("admission.papers_max_age_months", 12),
        ("admission.introducer_min_months_in_unit", 12),
        ("admission.vote_threshold", {"numerator": 2, "denominator": 3}),
        ("admission.readmission_min_months", 36),
        ("admission.minimum_education", "lower_secondary"),
        ("admission.failed_votes_before_referral", 3),
    ],
)
def test_the_rules_of_admission_are_seeded_with_their_sources(db, key, value):
    # when
    rule = rule_in_force(key, D(2025, 6, 1))
    # then
    assert rule.value == value
    assert (rule.valid_from, rule.valid_to) == (CHARTER, None)
    assert any(
        document in rule.source_document
        for document in ("Điều lệ Đảng (2011)", "QĐ 232-QĐ/TW (2025)", "HD 12-HD/BTCTW (2022)")
    )
    assert rule.description


def test_deadline_rules_cite_the_charter_and_qd_232(db):
    rule = rule_in_force(DEADLINE, D(2025, 6, 1))
    assert rule.source_document == (
        "Điều lệ Đảng (2011), Điều 4; QĐ 232-QĐ/TW (2025), quy định thi hành Điều lệ Đảng, "
        "điểm 4.3.1"
    )


# --- adding a version -----------------------------------------------------------------------------


def test_a_new_version_closes_the_open_one_and_is_audited(tree, root_admin):
    # given
    old = rule_in_force(DEADLINE, D(2025, 6, 1))
    # when
    new = add(root_admin, description="Thời hạn mới")
    # then
    old.refresh_from_db()
    assert (old.valid_from, old.valid_to, old.value) == (CHARTER, D(2027, 1, 1), 60)
    assert (new.valid_from, new.valid_to, new.value) == (D(2027, 1, 1), None, 45)
    assert new.source_document == "QĐ 999-QĐ/TW (2026), điểm 4.3.1"
    entries = list(AuditEntry.objects.order_by("id"))
    assert [(e.action, e.object_type, e.object_id) for e in entries] == [
        ("update", "core.rule", str(old.pk)),
        ("create", "core.rule", str(new.pk)),
    ]
    assert entries[0].changes == {"valid_to": [None, "2027-01-01"]}
    assert entries[1].changes["value"] == [None, 45]
    assert {e.organization_id for e in entries} == {tree.root.pk}
    assert {e.actor_name for e in entries} == {"root_admin"}


def test_a_case_already_judged_keeps_its_rule(tree, root_admin):
    # given: a case of 15/1/2025 judged by the rule of its date
    judged = rule_in_force(DEADLINE, D(2025, 1, 15))
    # when: a new regulation changes the deadline from 2027
    add(root_admin, value="45")
    # then: the same version, same value, for the old case; the new one after
    again = rule_in_force(DEADLINE, D(2025, 1, 15))
    assert (again.pk, again.value) == (judged.pk, 60)
    assert rule_value(DEADLINE, D(2026, 12, 31)) == 60
    assert rule_value(DEADLINE, D(2027, 1, 1)) == 45


def test_a_blank_description_keeps_the_latest_one(tree, root_admin):
    new = add(root_admin)
    assert new.description == rule_in_force(DEADLINE, D(2025, 1, 1)).description


def test_versions_follow_one_another(tree, root_admin):
    # given
    add(root_admin, valid_from=D(2027, 1, 1), value=45)
    # when
    third = add(root_admin, valid_from=D(2028, 1, 1), value=50)
    # then
    assert list(Rule.objects.filter(key=DEADLINE).values_list("value", "valid_to")) == [
        (50, None),
        (45, D(2028, 1, 1)),
        (60, D(2027, 1, 1)),
    ]
    assert third.value == 50


def test_a_superuser_may_add_a_version(tree, users):
    rule = add(users.admin)
    assert rule.value == 45
    assert AuditEntry.objects.filter(actor=users.admin).count() == 2


@pytest.mark.parametrize(
    ("key", "text", "stored"),
    [
        ("admission.vote_threshold", " 3 / 4 ", {"numerator": 3, "denominator": 4}),
        ("admission.vote_threshold", {"numerator": 1, "denominator": 2}, None),
        ("admission.papers_max_age_months", "6", 6),
        ("admission.failed_votes_before_referral", 2, 2),
        ("admission.minimum_education", "upper_secondary", "upper_secondary"),
    ],
)
def test_values_are_read_by_the_kind_of_the_rule(tree, root_admin, key, text, stored):
    rule = add(root_admin, key=key, value=text)
    assert rule.value == (stored if stored is not None else text)


# --- refusals -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["gc_admin", "root_manager", "statistician", "nobody"])
def test_only_superusers_and_root_administrators_change_rules(tree, users, gc_admin, who):
    # given
    actor = gc_admin if who == "gc_admin" else getattr(users, who)
    before = state()
    # when
    with pytest.raises(PermissionDenied) as error:
        add(actor)
    # then
    assert str(error.value) == (
        "Chỉ quản trị hệ thống hoặc quản trị viên của tổ chức cấp cao nhất mới được thay đổi "
        f"quy định “{DEADLINE}”, vì các quy định áp dụng chung toàn quốc."
    )
    assert state() == before


def test_who_may_change_rules(tree, users, root_admin, gc_admin):
    assert services.can_change_rules(root_admin) is True
    assert services.can_change_rules(users.admin) is True
    assert services.can_change_rules(gc_admin) is False
    assert services.can_change_rules(users.root_manager) is False
    assert services.can_change_rules(users.nobody) is False


@pytest.mark.parametrize(
    ("key", "changes", "field", "text"),
    [
        (
            DEADLINE,
            {"value": "sáu mươi"},
            "value",
            f"Giá trị của quy định “{DEADLINE}”: hãy nhập một số nguyên từ 0 đến 9999.",
        ),
        (DEADLINE, {"value": "-1"}, "value", "hãy nhập một số nguyên từ 0 đến 9999"),
        (DEADLINE, {"value": 10000}, "value", "hãy nhập một số nguyên từ 0 đến 9999"),
        (DEADLINE, {"value": True}, "value", "hãy nhập một số nguyên từ 0 đến 9999"),
        (DEADLINE, {"value": "2/3"}, "value", "hãy nhập một số nguyên từ 0 đến 9999"),
        (
            "admission.vote_threshold",
            {"value": "3/2"},
            "value",
            "Giá trị của quy định “admission.vote_threshold”: hãy nhập một phân số như 2/3, "
            "tử số lớn hơn 0 và không lớn hơn mẫu số.",
        ),
        ("admission.vote_threshold", {"value": "0/3"}, "value", "hãy nhập một phân số"),
        ("admission.vote_threshold", {"value": "2/0"}, "value", "hãy nhập một phân số"),
        ("admission.vote_threshold", {"value": "0.66"}, "value", "hãy nhập một phân số"),
        ("admission.vote_threshold", {"value": {"numerator": 2}}, "value", "hãy nhập một phân số"),
        (
            "admission.minimum_education",
            {"value": "doctorate"},
            "value",
            "Giá trị của quy định “admission.minimum_education”: hãy chọn một trình độ học vấn "
            "trong danh sách.",
        ),
        (
            DEADLINE,
            {"valid_from": CHARTER},
            "valid_from",
            f"Hiệu lực từ (quy định “{DEADLINE}”): phiên bản mới phải có hiệu lực sau ngày "
            "19/01/2011, là ngày phiên bản gần nhất bắt đầu có hiệu lực.",
        ),
        (DEADLINE, {"valid_from": D(2010, 1, 1)}, "valid_from", "phải có hiệu lực sau ngày"),
        (
            DEADLINE,
            {"valid_from": None},
            "valid_from",
            f"Hiệu lực từ (quy định “{DEADLINE}”): hãy nhập ngày phiên bản bắt đầu có hiệu lực.",
        ),
        (
            DEADLINE,
            {"source_document": "   "},
            "source_document",
            f"Văn bản căn cứ của quy định “{DEADLINE}”: hãy ghi văn bản ban hành phiên bản này "
            "(số, ngày và điều khoản).",
        ),
        (DEADLINE, {"source_document": "x" * 256}, "source_document", "Tối đa 255 ký tự"),
        (DEADLINE, {"description": "x" * 256}, "description", "Tối đa 255 ký tự"),
        ("admission.no_such_rule", {}, "key", "Không có quy định “admission.no_such_rule”."),
    ],
)
def test_a_refused_version_names_field_and_rule_and_changes_nothing(
    tree, root_admin, key, changes, field, text
):
    # given
    before = state()
    # when
    with pytest.raises(ValidationError) as error:
        add(root_admin, key=key, **changes)
    # then
    assert list(error.value.message_dict) == [field]
    assert text in " ".join(error.value.message_dict[field])
    assert state() == before


def test_every_error_of_a_version_is_reported_at_once(tree, root_admin):
    with pytest.raises(ValidationError) as error:
        add(root_admin, value="abc", valid_from=CHARTER, source_document="")
    assert sorted(error.value.message_dict) == ["source_document", "valid_from", "value"]


def test_a_version_cannot_start_inside_a_closed_one(tree, root_admin):
    # given: the latest version was closed (in the admin site) on 1/1/2030
    Rule.objects.filter(key=DEADLINE).update(valid_to=D(2030, 1, 1))
    before = state()
    # when
    with pytest.raises(ValidationError) as error:
        add(root_admin, valid_from=D(2029, 6, 1))
    # then
    assert "phiên bản gần nhất có hiệu lực đến ngày 01/01/2030" in message(error)
    assert state() == before
    # and from that day on, it may
    assert add(root_admin, valid_from=D(2030, 1, 1)).valid_from == D(2030, 1, 1)
