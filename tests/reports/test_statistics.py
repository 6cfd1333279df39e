"""The statistics engine and its forms against figures computed by hand, across a
reorganization, within scope; and the statistics pages with their drill-down lists."""

import datetime as dt
import re
from types import SimpleNamespace

import pytest

from dangbo.admissions.models import Candidate, CandidateSource
from dangbo.core.access import scope_for
from dangbo.members import services
from dangbo.members.models import Ethnicity, MembershipEvent, MembershipEventKind
from dangbo.members.services import rebuild_periods
from dangbo.reports.statistics import compute_statistics, get_statistics
from tests.factories import make_organization, make_person, relink

AS_OF = dt.date(2019, 12, 31)
START = dt.date(2019, 1, 1)
MOVED = dt.date(2019, 10, 1)  # a2 moves from gc to gb


def _event(member, kind, day, organization):
    MembershipEvent.objects.create(member=member, kind=kind, date=day, organization=organization)
    rebuild_periods(member)


@pytest.fixture
def stats_tree(tree, users):
    """Members (figures on 31/12/2019 worked out by hand in the tests):

    - Bình, woman, Kinh, Buddhist, born 04/07/1990, a1: admitted 2015, full 2016.
    - Đức, man, Hoa, born 31/12/2000 (19 on 31/12/2019), a1: admitted 06/05/2019 (Youth Union).
    - Giang, man, Kinh, born 31/12/1959 (60 on 31/12/2019), gb: admitted 2000, full 2001,
      died 01/08/2019.
    - Hạnh, woman, Kinh, born 31/12/1958 (61 on 31/12/2019), gb: full since 1991, advanced
      political theory.
    - Khoa, man, Kinh, a2: admitted 01/02/2019; a2 moves from gc to gb on 01/10/2019.
    - Lan, woman, Kinh, a1: admitted 2010, full 2011, transferred to gb on 01/09/2019.
    Staff: the six, plus Minh in a2 who is not a member.
    """
    admin = users.admin
    hoa = Ethnicity.objects.get(code="04")
    people = SimpleNamespace(
        binh=make_person(
            "Trần",
            "Thị",
            "Bình",
            organization=tree.a1,
            sex="female",
            date_of_birth=dt.date(1990, 7, 4),
            religion="buddhism",
            professional_level="bachelor",
            political_theory_level="intermediate",
            occupation="Công chức",
        ),
        duc=make_person(
            "Lý",
            "Minh",
            "Đức",
            organization=tree.a1,
            date_of_birth=dt.date(2000, 12, 31),
            ethnicity=hoa,
            occupation="Viên chức",
        ),
        giang=make_person(
            "Đỗ", "Văn", "Giang", organization=tree.gb, date_of_birth=dt.date(1959, 12, 31)
        ),
        hanh=make_person(
            "Phan",
            "Thị",
            "Hạnh",
            organization=tree.gb,
            sex="female",
            date_of_birth=dt.date(1958, 12, 31),
            political_theory_level="advanced",
        ),
        khoa=make_person("Vũ", "Đăng", "Khoa", organization=tree.a2),
        lan=make_person("Hồ", "Thị", "Lan", organization=tree.a1, sex="female"),
        minh=make_person("Ngô", "Văn", "Minh", organization=tree.a2),
    )

    def admit(person, organization, decided, full=None):
        member = services.admit_member(
            actor=admin,
            person=person,
            organization=organization,
            decision_date=decided,
            ceremony_date=decided + dt.timedelta(days=10),
        )
        if full:
            services.recognize_full_member(actor=admin, member=member, effective_date=full)
        return member

    binh = admit(people.binh, tree.a1, dt.date(2015, 3, 2), dt.date(2016, 3, 20))
    admit(people.duc, tree.a1, dt.date(2019, 5, 6))
    Candidate.objects.create(
        person=people.duc,
        organization=tree.a1,
        source=CandidateSource.YOUTH_UNION,
        started_on=dt.date(2018, 1, 2),
        helper=binh,
        created_by=admin,
    )
    giang = admit(people.giang, tree.gb, dt.date(2000, 1, 3), dt.date(2001, 1, 20))
    _event(giang, MembershipEventKind.DECEASED, dt.date(2019, 8, 1), tree.gb)
    admit(people.hanh, tree.gb, dt.date(1990, 5, 2), dt.date(1991, 5, 20))
    admit(people.khoa, tree.a2, dt.date(2019, 2, 1))
    lan = admit(people.lan, tree.a1, dt.date(2010, 4, 1), dt.date(2011, 4, 20))
    _event(lan, MembershipEventKind.TRANSFER, dt.date(2019, 9, 1), tree.gb)
    relink(tree.a2, tree.gb, MOVED)
    return people


def values(table):
    """{row code: [cell values]} of a form."""
    return {row.code: [cell.value for cell in row.cells] for row in table.rows if row.cells}


def test_member_form_by_hand(tree, stats_tree):
    s = compute_statistics(tree.root, AS_OF, START, None)
    v = values(s.members)
    # Members on 31/12/2019: Bình, Đức, Hạnh, Khoa, Lan (Giang died). Columns: total, women,
    # ethnic minorities, probationary.
    assert v["1"] == [5, 3, 1, 2]
    assert v["2.1"] == [2, 1, 1, 1]  # 18–30: Bình (29), Đức (19); Lan is 34
    assert v["2.5"] == [1, 1, 0, 0]  # 61–70: Hạnh, 61 on that day
    assert v["2.4"] == [0, 0, 0, 0]  # 51–60: nobody left (Giang, 60, died)
    assert v["3.1"] == [4, 3, 0, 1]  # Kinh
    assert v["3.2"] == [1, 0, 1, 1]  # minorities: Đức
    assert v[f"3.2.{Ethnicity.objects.get(code='04').pk}"] == [1, 0, 1, 1]
    assert v["4.1"] == [1, 1, 0, 0]  # followers of a religion: Bình
    assert v["7.3"] == [1, 1, 0, 0]  # intermediate theory: Bình
    assert v["7.4"] == [1, 1, 0, 0]  # advanced or bachelor: Hạnh
    assert s.member_count == 5 and s.probationary == 2 and s.staff == 7


def test_age_groups_on_each_side_of_a_birthday(tree, stats_tree):
    """Giang, born 31/12/1959, is 59 on 30/12/2019 and 60 on 31/12/2019; Hạnh, born 31/12/1958,
    turns 61 on 31/12/2019 (61–70) and is 60 the day before (51–60)."""
    before = values(compute_statistics(tree.root, dt.date(2019, 7, 31), START, None).members)
    assert before["2.4"][0] == 2  # Giang (59) and Hạnh (60) both 51–60 on 31/07/2019
    on = values(compute_statistics(tree.root, AS_OF, START, None).members)
    assert on["2.4"][0] == 0 and on["2.5"][0] == 1


def test_admission_form_and_youth_union(tree, stats_tree):
    s = compute_statistics(tree.root, AS_OF, START, None)
    v = values(s.admissions)
    # Admitted in 2019: Đức (Youth Union, Hoa) and Khoa. Columns: total, women, minorities, YU.
    assert v["1"] == [2, 0, 1, 1]
    assert s.admitted == 2 and s.youth_union_admitted == 1


def test_movement_adds_up(tree, stats_tree):
    s = compute_statistics(tree.root, AS_OF, START, None)
    v = values(s.movement)
    # Start (31/12/2018): Bình, Giang, Hạnh, Lan = 4; +2 admitted; −1 died; Lan's transfer
    # stays inside the root's subtree, so it is neither in nor out.
    assert v["1"] == [4]
    assert v["2.1"] == [2] and v["2.2"] == [0]
    assert v["3.1"] == [1]  # deceased
    assert v["5"] == [5]
    assert v["1"][0] + v["2"][0] - v["3"][0] == v["5"][0]
    assert "4" not in v  # no change from reorganizing at the root


def test_transfer_in_and_out_of_a_subtree(tree, stats_tree):
    gc = values(compute_statistics(tree.gc, AS_OF, START, None).movement)
    gb = values(compute_statistics(tree.gb, AS_OF, START, None).movement)
    assert gc["3.7"] == [1]  # Lan left gc's subtree (a1 → gb)
    assert gb["2.2"] == [1]  # …and entered gb's


def test_a_tree_alone_in_its_database_has_no_transfers_in_or_out(
    tree, stats_tree, django_assert_num_queries
):
    from dangbo.reports.statistics import engine

    # In 2019 a2 moved within the root's subtree: each transfer is looked at, and Lan's
    # (a1 → gb) stays inside.
    assert not engine._holds_every_organization(tree.root.pk, START, AS_OF)
    for inward in (True, False):
        assert not engine.transfers(tree.root.pk, START, AS_OF, None, inward=inward).exists()
    # From November the root held every organization throughout: nothing is looked at.
    late = dt.date(2019, 11, 1)
    assert engine._holds_every_organization(tree.root.pk, late, AS_OF)
    for inward in (True, False):
        found = engine.transfers(tree.root.pk, late, AS_OF, None, inward=inward)
        with django_assert_num_queries(0):
            assert not found.exists()
    # Another tree beside it: the transfers are looked at again.
    make_organization("Đảng bộ Khối khác", code="OTHER", founded_on=dt.date(1990, 1, 1))
    assert not engine._holds_every_organization(tree.root.pk, late, AS_OF)
    assert engine.transfers(tree.gb.pk, START, AS_OF, None, inward=True).count() == 1


def test_counts_follow_the_tree_of_each_date(tree, stats_tree):
    """a2 (Khoa, Minh) lies under gc until 30/09/2019 and under gb from 01/10/2019."""
    before = compute_statistics(tree.gc, dt.date(2019, 9, 30), START, None)
    after = compute_statistics(tree.gc, AS_OF, START, None)
    assert before.member_count == 3  # Bình, Đức, Khoa (Lan left on 01/09)
    assert after.member_count == 2  # Bình, Đức
    assert (before.staff, after.staff) == (5, 3)
    # Khoa's admission (01/02/2019, in a2 under gc then) stays gc's, asked on either date.
    assert before.admitted == after.admitted == 2
    gb_after = compute_statistics(tree.gb, AS_OF, START, None)
    assert gb_after.member_count == 3  # Hạnh, Lan, Khoa
    assert gb_after.admitted == 0
    # gc's movement explains the departure of a2 as a change from reorganizing the tree.
    v = values(after.movement)
    assert v["4"] == [-1]
    assert v["1"][0] + v["2"][0] - v["3"][0] + v["4"][0] == v["5"][0]


def test_organization_form(tree, stats_tree):
    v = values(compute_statistics(tree.root, AS_OF, START, None).organizations)
    assert v["1"] == [2] and v["1.1"] == [1] and v["1.2"] == [1]
    assert v["3"] == [2]  # a1 and a2, branches under grassroots organizations
    assert v["5"] == [7] and v["6"] == [5]


def test_statistics_keep_to_the_users_count_scope(tree, users, stats_tree):
    s = get_statistics(user=users.a1_manager, organization=tree.a1, as_of=AS_OF, start=START)
    assert s.member_count == 2  # Bình, Đức
    assert (
        get_statistics(
            user=users.statistician, organization=tree.root, as_of=AS_OF, start=START
        ).member_count
        == 5
    )


def test_large_subtrees_count_the_same_events(tree, stats_tree, monkeypatch):
    """Events of a large subtree are read by date and looked up in the subtree, those of a small
    one probed per organization (``engine.LARGE_SUBTREE``): the same figures either way."""
    from dangbo.reports.statistics import engine

    def tables(organization, as_of):
        s = compute_statistics(organization, as_of, START, None)
        return [values(table) for table in s.tables], s.admitted, s.youth_union_admitted

    days = (dt.date(2019, 9, 30), AS_OF)
    small = [tables(o, d) for o in (tree.root, tree.gc, tree.gb) for d in days]
    monkeypatch.setattr(engine, "LARGE_SUBTREE", 0)
    assert engine._is_large(tree.a1.pk)
    large = [tables(o, d) for o in (tree.root, tree.gc, tree.gb) for d in days]
    assert large == small
    assert small[1][1:] == (2, 1)  # the root on 31/12/2019: Khoa and Đức, Đức from the Union


def test_scope_follows_organizations_that_left_the_users_subtree(tree, users, stats_tree):
    """gc_viewer's scope is gc's subtree now (gc, a1); on 30/09/2019 it also held a2, which has
    since moved to gb: on that day the scope filter applies, on 31/12/2019 none is needed."""
    before = dt.date(2019, 9, 30)
    assert scope_for(users.gc_viewer, personal=False, within=(tree.gc.pk, before)) is not None
    assert scope_for(users.gc_viewer, personal=False, within=(tree.gc.pk, AS_OF)) is None
    assert scope_for(users.root_manager, personal=False, within=(tree.root.pk, before)) is None
    counted = get_statistics(user=users.gc_viewer, organization=tree.gc, as_of=before, start=START)
    assert counted.member_count == 2  # Bình, Đức; Khoa's a2 is no longer gc_viewer's


def test_member_form_follows_a_change_of_the_person(tree, users, stats_tree, login):
    services.update_person(
        actor=users.admin, person=stats_tree.hanh, religion="catholicism", occupation="Công chức"
    )
    v = values(compute_statistics(tree.root, AS_OF, START, None).members)
    assert v["4.1"] == [2, 2, 0, 0]  # followers of a religion: Bình, and now Hạnh
    assert v["4.1.2"] == [1, 1, 0, 0]  # Catholic: Hạnh
    client = login(users.root_manager)
    listed = client.get(
        "/members/",
        {"organization": tree.root.pk, "as_of": AS_OF.isoformat(), "religion": "catholicism"},
    )
    assert listed.status_code == 200
    body = listed.content.decode()
    assert "Phan Thị Hạnh" in body and "Trần Thị Bình" not in body


# --- Pages -------------------------------------------------------------------------------------


def _page(client, url):
    response = client.get(url)
    return response, response.content.decode()


def test_statistics_page_shows_the_forms_with_links(tree, users, stats_tree, login):
    response, body = _page(
        login(users.root_manager),
        f"/statistics/?organization={tree.root.pk}&as_of=2019-12-31&start=2019-01-01",
    )
    assert response.status_code == 200
    for number in ("1-TCTW", "2-TCTW", "3-TCTW", "4-TCTW"):
        assert number in body
    assert "/members/?" in body and "/statistics/events/?" in body


def test_every_linked_figure_matches_its_list(tree, users, stats_tree, login):
    """Drill-down: each figure's link lists exactly as many rows as the figure says."""
    client = login(users.root_manager)
    s = compute_statistics(tree.root, AS_OF, START, None)
    from dangbo.reports.views import _linked_rows

    checked = 0
    for table in s.tables:
        for item in _linked_rows(table, personal=True):
            for cell in item["cells"]:
                if not cell["url"]:
                    continue
                response = client.get(cell["url"] + "&page_size=200")
                assert response.status_code == 200, cell["url"]
                rows = re.findall(
                    r'<td class="num">\d+</td>\s*<td><a href="/(?:members|organizations)/',
                    response.content.decode(),
                )
                assert len(rows) == cell["value"], (item["row"].label, cell["url"])
                checked += 1
    assert checked > 20


def test_statistician_sees_figures_without_lists_of_people(tree, users, stats_tree, login):
    client = login(users.statistician)
    response, body = _page(client, f"/statistics/?organization={tree.root.pk}&as_of=2019-12-31")
    assert response.status_code == 200
    assert not re.search(r"/members/\?[^\"]*organization=", body)
    assert "/statistics/events/?" not in body
    url = (
        f"/statistics/events/?organization={tree.root.pk}&start=2019-01-01&end=2019-12-31"
        "&kind=admission_decision"
    )
    assert client.get(url).status_code == 403


def test_another_organizations_user_gets_404(tree, users, stats_tree, login):
    client = login(users.a1_manager)
    assert client.get(f"/statistics/?organization={tree.gb.pk}").status_code == 404
    assert (
        client.get(
            f"/statistics/events/?organization={tree.gb.pk}&start=2019-01-01&end=2019-12-31"
            "&kind=admission_decision"
        ).status_code
        == 404
    )
    assert client.get(f"/statistics/organizations/?organization={tree.root.pk}").status_code == 404
    assert client.get(f"/statistics/?organization={tree.a1.pk}").status_code == 200


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/statistics/?start=2030-01-01&as_of=2019-12-31", "cannot be after"),
        ("/statistics/?start=hello", "Period from"),
        ("/statistics/?as_of=31-31-2019", "as_of"),
    ],
)
def test_bad_parameters_get_a_message(tree, users, stats_tree, login, url, message):
    response = login(users.root_manager).get(url)
    assert response.status_code == 200
    assert message in response.content.decode() or "msg-error" in response.content.decode()


def test_bad_event_list_parameters_get_400(tree, users, stats_tree, login):
    client = login(users.root_manager)
    response = client.get(f"/statistics/events/?organization={tree.root.pk}&kind=nothing")
    assert response.status_code == 400
    assert "msg-error" in response.content.decode()
    response = client.get(
        f"/statistics/events/?organization={tree.root.pk}&start=2019-12-31&end=2019-01-01"
        "&kind=admission_decision&format=csv"
    )
    assert response.status_code == 400


def test_a_date_before_any_data_gives_an_honest_empty_form(tree, users, stats_tree, login):
    response, body = _page(
        login(users.root_manager),
        f"/statistics/?organization={tree.root.pk}&as_of=1931-01-01&start=1931-01-01",
    )
    assert response.status_code == 200
    s = compute_statistics(tree.root, dt.date(1931, 1, 1), dt.date(1931, 1, 1), None)
    assert s.member_count == 0 and s.members.is_empty


def test_event_list_export_is_audited(tree, users, stats_tree, login):
    from dangbo.core.models import AuditEntry

    client = login(users.root_manager)
    before = AuditEntry.objects.count()
    response = client.get(
        f"/statistics/events/?organization={tree.root.pk}&start=2019-01-01&end=2019-12-31"
        "&kind=admission_decision&format=csv"
    )
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Lý Minh Đức" in text and "Vũ Đăng Khoa" in text
    assert AuditEntry.objects.count() == before + 1


def test_age_groups_come_from_the_rule_in_force_on_the_date(tree, users, stats_tree):
    from dangbo.core.services import add_rule_version

    add_rule_version(
        actor=users.admin,
        key="statistics.age_bands",
        value="18-35, 36-60, 61+",
        valid_from=dt.date(2019, 1, 1),
        source_document="Hướng dẫn thử nghiệm",
    )
    new = compute_statistics(tree.root, AS_OF, START, None)
    labels = [row.label for row in new.members.rows if row.code.startswith("2.")]
    assert labels == ["18–35", "36–60", "trên 60"]
    assert values(new.members)["2.1"][0] == 4  # Bình, Đức, Khoa and Lan (34)
    old = compute_statistics(tree.root, dt.date(2018, 12, 31), START, None)
    assert len([row for row in old.members.rows if row.code.startswith("2.")]) == 6


def test_age_groups_rule_refuses_overlaps(users):
    from django.core.exceptions import ValidationError

    from dangbo.core.models import Rule
    from dangbo.core.services import add_rule_version

    before = Rule.objects.count()
    with pytest.raises(ValidationError) as error:
        add_rule_version(
            actor=users.admin,
            key="statistics.age_bands",
            value="18-30, 25-40",
            valid_from=dt.date(2020, 1, 1),
            source_document="x",
        )
    assert "statistics.age_bands" in str(error.value)
    assert Rule.objects.count() == before


def test_organization_list_of_a_figure_exports_for_a_statistician(tree, users, stats_tree, login):
    client = login(users.statistician)
    url = (
        f"/statistics/organizations/?organization={tree.root.pk}&as_of=2019-12-31&level=grassroots"
    )
    page = client.get(url)
    assert page.status_code == 200 and "Chi bộ Báo B" in page.content.decode()
    response = client.get(url + "&format=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Đảng bộ Sở A" in text and "Chi bộ Báo B" in text and "Chi bộ Phòng 1" not in text
    assert client.get(url + "&format=pdf").status_code == 400
