"""Creating and editing organizations through the forms over organizations.services."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dangbo.core.dates import today
from dangbo.core.models import AuditAction, AuditEntry
from dangbo.organizations.models import (
    Organization,
    OrganizationKind,
    OrganizationLevel,
    OrganizationLink,
)
from tests.factories import make_organization

NEW = "/organizations/new/"


def edit_url(organization) -> str:
    return f"/organizations/{organization.pk}/edit/"


def counts() -> tuple[int, int, int]:
    return (
        Organization.objects.count(),
        OrganizationLink.objects.count(),
        AuditEntry.objects.exclude(action=AuditAction.LOGIN).count(),
    )


def new_branch(**overrides) -> dict:
    data = {
        "parent": "GC",
        "code": "A3",
        "name": "  Chi bộ   Phòng 3 ",
        "short_name": "",
        "place_name": "",
        "level": OrganizationLevel.BRANCH,
        "kind": OrganizationKind.BRANCH,
        "functional_group": "",
        "statistics_type": "",
        "founded_on": "01/02/2020",
    }
    data.update(overrides)
    return data


def edit_data(organization, **overrides) -> dict:
    data = {
        "code": organization.code,
        "name": organization.name,
        "short_name": organization.short_name,
        "place_name": organization.place_name,
        "level": organization.level,
        "kind": organization.kind,
        "functional_group": organization.functional_group,
        "statistics_type": organization.statistics_type,
        "founded_on": organization.founded_on.isoformat() if organization.founded_on else "",
        "dissolved_on": "",
    }
    data.update(overrides)
    return data


def field_errors(response, name: str) -> list[str]:
    body = response.content.decode()
    match = re.search(rf'<ul class="errorlist" id="id_{name}-errors">(.*?)</ul>', body, re.S)
    return re.findall(r"<li>(.*?)</li>", match.group(1)) if match else []


def options(response, name: str) -> list[str]:
    body = response.content.decode()
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', body, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"', select)


# --- create: access -------------------------------------------------------------------------------


def test_create_sends_anonymous_to_login(client, tree):
    # when
    response = client.get(NEW, {"parent": tree.gc.pk})
    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/organizations/new/")


@pytest.mark.parametrize(
    ("username", "parent", "status"),
    [
        ("nobody", "gc", 404),
        ("a1_manager", "gc", 404),  # above the grant
        ("gb_manager", "a1", 404),  # another branch
        ("gc_viewer", "gc", 403),  # sees it, may not change it
        ("statistician", "gc", 403),
        ("a1_manager", "a1", 200),
        ("root_manager", "gc", 200),
        ("admin", "gc", 200),
    ],
)
def test_create_access_matrix(tree, users, login, username, parent, status):
    # given
    before = counts()
    client = login(getattr(users, username))
    pk = getattr(tree, parent).pk
    # when
    shown = client.get(NEW, {"parent": pk})
    posted = client.post(
        f"{NEW}?parent={pk}",
        new_branch(parent=getattr(tree, parent).code, level="cell", kind="cell"),
    )
    # then
    assert shown.status_code == status
    if status != 200:
        assert posted.status_code == status
        assert counts() == before


@pytest.mark.parametrize(
    ("username", "status"),
    [("nobody", 404), ("gc_viewer", 403), ("statistician", 403), ("root_manager", 200)],
)
def test_create_without_parent(tree, users, login, username, status):
    # when
    response = login(getattr(users, username)).get(NEW)
    # then
    assert response.status_code == status


def test_viewer_refusal_says_why(tree, users, login):
    # when
    response = login(users.gc_viewer).post(f"{NEW}?parent={tree.gc.pk}", new_branch())
    # then
    assert response.status_code == 403
    assert "Bạn không có quyền cập nhật dữ liệu của tổ chức “Đảng bộ Sở A”." in (
        response.content.decode()
    )
    assert not Organization.objects.filter(code="A3").exists()


def test_parent_choices_are_the_writable_scope(tree, users, login):
    # given: an organization outside every grant of the user
    make_organization(
        "Đảng bộ Khác", code="OTHER", level=OrganizationLevel.UPPER, kind=OrganizationKind.COMMITTEE
    )
    # when
    manager = login(users.a1_manager).get(NEW, {"parent": tree.a1.pk})
    # then
    assert options(manager, "parent") == ["A1"]


def test_parent_choices_of_the_root_manager_and_defaults(tree, users, login):
    # when
    response = login(users.root_manager).get(NEW, {"parent": tree.gc.pk})
    # then
    assert options(response, "parent") == ["GB", "A1", "A2", "ROOT", "GC"]
    body = response.content.decode()
    assert '<option value="GC" selected>' in body
    assert '<option value="branch" selected>Chi bộ trực thuộc</option>' in body
    assert '<option value="state_management" selected>' in body


def test_superuser_may_create_a_root(tree, users, login):
    # when
    response = login(users.admin).post(
        NEW,
        new_branch(
            parent="",
            code="HCM",
            name="Đảng bộ Thành phố",
            level="provincial",
            kind="committee",
        ),
    )
    # then
    created = Organization.objects.get(code="HCM")
    assert response.status_code == 302
    assert not OrganizationLink.objects.filter(child=created).exists()


# --- create: success and refusals -----------------------------------------------------------------


def test_create_writes_the_organization_its_link_and_one_audit_row(tree, users, login):
    # given
    client = login(users.root_manager)
    before = counts()
    # when
    response = client.post(f"{NEW}?parent={tree.gc.pk}", new_branch())
    # then
    created = Organization.objects.get(code="A3")
    assert response.status_code == 302
    assert response["Location"] == f"/organizations/{created.pk}/"
    assert created.name == "Chi bộ Phòng 3"
    assert created.founded_on == dt.date(2020, 2, 1)
    assert OrganizationLink.objects.filter(
        child=created, parent=tree.gc, valid_from=dt.date(2020, 2, 1), valid_to=None
    ).exists()
    assert counts() == (before[0] + 1, before[1] + 1, before[2] + 1)
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_id=str(created.pk))
    assert entry.actor == users.root_manager
    assert entry.organization == created
    assert entry.object_type == "organizations.organization"
    assert entry.changes == {
        "code": [None, "A3"],
        "founded_on": [None, "2020-02-01"],
        "kind": [None, "branch"],
        "level": [None, "branch"],
        "name": [None, "Chi bộ Phòng 3"],
        "parent_id": [None, tree.gc.pk],
    }
    page = client.get(response["Location"])
    assert "Đã thêm tổ chức “Chi bộ Phòng 3”." in page.content.decode()


def test_created_organization_is_in_the_tree_from_its_founding_date(tree, users, login):
    # given
    client = login(users.root_manager)
    client.post(f"{NEW}?parent={tree.gc.pk}", new_branch())
    created = Organization.objects.get(code="A3")
    # when
    before = client.get(f"/organizations/{tree.gc.pk}/", {"as_of": "2020-01-31"})
    after = client.get(f"/organizations/{tree.gc.pk}/", {"as_of": "2020-02-01"})
    # then
    assert f'data-org="{created.pk}"' not in before.content.decode()
    assert f'data-org="{created.pk}"' in after.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"code": "A1"}, "code", "Mã tổ chức đã được dùng cho tổ chức khác."),
        (
            {"parent": "A1", "level": "grassroots", "kind": "committee"},
            "parent",
            "Tổ chức cấp trên phải ở cấp cao hơn (“Chi bộ Phòng 1” là Chi bộ trực thuộc).",
        ),
        (
            {"parent": "A1", "level": "branch"},
            "parent",
            "Chi bộ chỉ có tổ đảng trực thuộc; tổ đảng không có tổ chức trực thuộc.",
        ),
        (
            {"founded_on": (today() + dt.timedelta(days=3)).strftime("%d/%m/%Y")},
            "founded_on",
            "Ngày thành lập không được sau ngày hôm nay.",
        ),
        (
            {"founded_on": "1980-01-01"},
            "founded_on",
            "Tổ chức không thể trực thuộc “Đảng bộ Sở A” trước ngày thành lập của tổ chức đó.",
        ),
        (
            {"founded_on": "31/02/2020"},
            "founded_on",
            "Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy.",
        ),
        ({"founded_on": ""}, "founded_on", "Hãy nhập ngày thành lập."),
        (
            {"parent": "OTHER"},
            "parent",
            "Không tìm thấy tổ chức cấp trên này trong phạm vi bạn được cập nhật.",
        ),
        (
            {"level": "grassroots", "kind": "cell", "parent": "ROOT"},
            "kind",
            "Tổ chức cơ sở đảng phải là đảng bộ cơ sở hoặc chi bộ cơ sở.",
        ),
    ],
)
def test_create_refusals_show_the_message_and_change_nothing(
    tree, users, login, overrides, field, message
):
    # given
    make_organization(
        "Đảng bộ Khác", code="OTHER", level=OrganizationLevel.UPPER, kind=OrganizationKind.COMMITTEE
    )
    client = login(users.root_manager)
    before = counts()
    # when
    response = client.post(f"{NEW}?parent={tree.gc.pk}", new_branch(**overrides))
    # then
    assert response.status_code == 400
    assert message in field_errors(response, field)
    assert "Chưa lưu: hãy sửa các trường được đánh dấu bên dưới." in response.content.decode()
    assert counts() == before


def test_branch_manager_cannot_pick_a_parent_above_the_grant(tree, users, login):
    # given
    before = counts()
    # when
    response = login(users.a1_manager).post(
        f"{NEW}?parent={tree.a1.pk}", new_branch(parent="GC", level="branch")
    )
    # then
    assert response.status_code == 400
    assert field_errors(response, "parent") == [
        "Không tìm thấy tổ chức cấp trên này trong phạm vi bạn được cập nhật."
    ]
    assert counts() == before


def test_branch_manager_may_add_a_cell(tree, users, login):
    # when
    response = login(users.a1_manager).post(
        f"{NEW}?parent={tree.a1.pk}",
        new_branch(parent="A1", code="A1-T1", name="Tổ đảng 1", level="cell", kind="cell"),
    )
    # then
    assert response.status_code == 302
    assert OrganizationLink.objects.get(child__code="A1-T1").parent == tree.a1


# --- update ---------------------------------------------------------------------------------------


def test_update_sends_anonymous_to_login(client, tree):
    # when
    response = client.get(edit_url(tree.gc))
    # then
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next=/organizations/{tree.gc.pk}/edit/"


@pytest.mark.parametrize(
    ("username", "organization", "status"),
    [
        ("nobody", "gc", 404),
        ("a1_manager", "gc", 404),
        ("gb_manager", "a1", 404),
        ("gc_viewer", "a1", 403),
        ("statistician", "gc", 403),
        ("a1_manager", "a1", 200),
        ("root_manager", "gc", 200),
    ],
)
def test_update_access_matrix(tree, users, login, username, organization, status):
    # given
    target = getattr(tree, organization)
    client = login(getattr(users, username))
    before = counts()
    # when
    shown = client.get(edit_url(target))
    posted = client.post(edit_url(target), edit_data(target, name="Tên mới"))
    # then
    assert shown.status_code == status
    if status != 200:
        assert posted.status_code == status
        assert counts() == before
        target.refresh_from_db()
        assert target.name != "Tên mới"


def test_update_form_shows_current_values(tree, users, login):
    # when
    response = login(users.root_manager).get(edit_url(tree.gc))
    # then
    body = response.content.decode()
    assert 'name="name" value="Đảng bộ Sở A"' in body
    assert 'name="founded_on" value="1990-01-01"' in body
    assert '<option value="grassroots" selected>' in body


def test_update_writes_one_audit_row_with_before_and_after(tree, users, login):
    # given
    client = login(users.root_manager)
    before = counts()
    # when
    response = client.post(
        edit_url(tree.gc),
        edit_data(
            tree.gc,
            name="Đảng bộ Sở Tài chính",
            short_name="STC",
            founded_on="15/08/1991",
        ),
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == f"/organizations/{tree.gc.pk}/"
    tree.gc.refresh_from_db()
    assert tree.gc.name == "Đảng bộ Sở Tài chính"
    assert tree.gc.search_name == "dang bo so tai chinh"
    assert counts() == (before[0], before[1], before[2] + 1)
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE)
    assert entry.organization == tree.gc
    assert entry.actor == users.root_manager
    assert entry.changes == {
        "founded_on": ["1990-01-01", "1991-08-15"],
        "name": ["Đảng bộ Sở A", "Đảng bộ Sở Tài chính"],
        "short_name": ["", "STC"],
    }
    assert "Đã lưu thay đổi." in client.get(response["Location"]).content.decode()


def test_update_without_changes_writes_nothing(tree, users, login):
    # given
    client = login(users.root_manager)
    before = counts()
    # when
    response = client.post(edit_url(tree.gc), edit_data(tree.gc))
    # then
    assert response.status_code == 302
    assert counts() == before
    assert "Không có thay đổi nào để lưu." in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"code": "A1"}, "code", "Mã tổ chức đã được dùng cho tổ chức khác."),
        ({"dissolved_on": "1989-12-31"}, "dissolved_on", "Ngày giải thể phải sau ngày thành lập."),
        (
            {"founded_on": (today() + dt.timedelta(days=1)).isoformat()},
            "founded_on",
            "Ngày thành lập không được sau ngày hôm nay.",
        ),
        (
            {"level": "grassroots", "kind": "cell"},
            "kind",
            "Tổ chức cơ sở đảng phải là đảng bộ cơ sở hoặc chi bộ cơ sở.",
        ),
        ({"name": ""}, "name", "Trường này là bắt buộc."),
    ],
)
def test_update_refusals_show_the_message_and_change_nothing(
    tree, users, login, overrides, field, message
):
    # given
    client = login(users.root_manager)
    before = counts()
    # when
    response = client.post(
        edit_url(tree.gc), edit_data(tree.gc, **{"name": "Tên mới", **overrides})
    )
    # then
    assert response.status_code == 400
    assert message in field_errors(response, field)
    assert counts() == before
    tree.gc.refresh_from_db()
    assert tree.gc.name == "Đảng bộ Sở A"
    assert tree.gc.code == "GC"


def test_create_with_a_place_of_issue_audits_it(tree, users, login):
    # given
    client = login(users.root_manager)
    # when
    response = client.post(f"{NEW}?parent={tree.gc.pk}", new_branch(place_name=" Hà Nội "))
    # then
    assert response.status_code == 302
    created = Organization.objects.get(code="A3")
    assert created.place_name == "Hà Nội"
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_id=str(created.pk))
    assert entry.changes["place_name"] == [None, "Hà Nội"]


def test_update_form_offers_the_place_of_issue_with_its_help(tree, users, login):
    # when
    body = login(users.root_manager).get(edit_url(tree.gc)).content.decode()
    # then
    assert '<label for="id_place_name">Địa danh</label>' in body
    assert (
        "Địa danh ghi trước ngày tháng trên văn bản, biểu mẫu do tổ chức ban hành, ví dụ: "
        "TP Hồ Chí Minh. Để trống: lấy địa danh của cấp trên."
    ) in body


def test_update_saves_the_place_of_issue_audits_and_shows_it(tree, users, login):
    # given
    client = login(users.root_manager)
    before = counts()
    # when
    response = client.post(edit_url(tree.gc), edit_data(tree.gc, place_name=" TP Hồ Chí Minh "))
    # then
    assert response.status_code == 302
    tree.gc.refresh_from_db()
    assert tree.gc.place_name == "TP Hồ Chí Minh"
    assert counts() == (before[0], before[1], before[2] + 1)
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE)
    assert entry.organization == tree.gc
    assert entry.actor == users.root_manager
    assert entry.changes == {"place_name": ["", "TP Hồ Chí Minh"]}
    page = client.get(response["Location"]).content.decode()
    assert '<dt>Địa danh</dt><dd data-field="place_name">TP Hồ Chí Minh</dd>' in page


def test_detail_page_without_a_place_of_issue_does_not_show_it(tree, users, login):
    # when
    page = login(users.root_manager).get(f"/organizations/{tree.gc.pk}/").content.decode()
    # then
    assert 'data-field="place_name"' not in page


def test_update_refuses_a_place_of_issue_too_long_and_changes_nothing(tree, users, login):
    # given
    client = login(users.root_manager)
    before = counts()
    # when
    response = client.post(edit_url(tree.gc), edit_data(tree.gc, place_name="Đ" * 81))
    # then
    assert response.status_code == 400
    assert field_errors(response, "place_name") == [
        "Địa danh chỉ được dài tối đa 80 ký tự (hiện có 81)."
    ]
    assert counts() == before
    tree.gc.refresh_from_db()
    assert tree.gc.place_name == ""


def test_update_level_above_the_parent_is_refused_on_the_form(tree, users, login):
    # given
    client = login(users.root_manager)
    before = counts()
    # when: the parent is an upper committee, so gc may not become one
    response = client.post(edit_url(tree.gc), edit_data(tree.gc, level="upper"))
    # then
    assert response.status_code == 400
    assert "Tổ chức cấp trên phải ở cấp cao hơn" in response.content.decode()
    assert counts() == before
