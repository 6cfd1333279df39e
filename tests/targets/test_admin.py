"""The admin of terms and targets saves through targets.services: validated and audited."""

from __future__ import annotations

from decimal import Decimal

from dangbo.core.models import AuditEntry
from dangbo.targets.models import Target, Term
from tests.targets.conftest import counts


def test_admin_adds_a_target_with_an_audit_row(tree, users, login, term):
    # when
    response = login(users.admin).post(
        "/admin/targets/target/add/",
        {
            "term": term.pk,
            "organization": tree.gc.pk,
            "new_members": "40",
            "yearly_rate_percent": "3.5",
            "resolution": "Nghị quyết số 2",
        },
    )
    # then
    assert response.status_code == 302
    target = Target.objects.get()
    assert (target.organization, target.new_members, target.yearly_rate_percent) == (
        tree.gc,
        40,
        Decimal("3.50"),
    )
    entry = AuditEntry.objects.get(object_type="targets.target")
    assert (entry.action, entry.actor, entry.organization) == ("create", users.admin, tree.gc)


def test_admin_refuses_a_bad_target_and_changes_nothing(tree, users, login, term):
    before = counts()

    response = login(users.admin).post(
        "/admin/targets/target/add/",
        {"term": term.pk, "organization": tree.gc.pk, "yearly_rate_percent": "120"},
    )

    assert response.status_code == 200
    assert "Tỷ lệ hằng năm phải lớn hơn 0 và không quá 100" in response.content.decode()
    assert counts() == before


def test_admin_adds_a_term_through_the_service(tree, users, login):
    response = login(users.admin).post(
        "/admin/targets/term/add/",
        {
            "organization": tree.gb.pk,
            "name": "Nhiệm kỳ 2020–2025",
            "starts_on": "01/10/2020",
            "ends_on": "30/09/2025",
            "resolution": "",
        },
    )

    assert response.status_code == 302
    term = Term.objects.get()
    assert term.organization == tree.gb
    assert AuditEntry.objects.filter(object_type="targets.term", action="create").count() == 1


def test_admin_is_for_superusers_only(users, login, term):
    response = login(users.root_manager).get("/admin/targets/target/")

    assert response.status_code == 302
