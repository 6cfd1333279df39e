"""The demo's 2015–2020 term has a target that its 2,106 admissions by 31/12/2019 exceed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from dangbo.demo.builder import build_demo
from dangbo.organizations.models import Organization
from dangbo.targets.models import Target
from dangbo.targets.selectors import term_progress


@pytest.mark.django_db
def test_demo_term_target_is_exceeded(client):
    # given
    build_demo()
    admin = get_user_model().objects.get(username="demo-admin")
    root = Organization.objects.get(code="DCD-HCM")
    # when
    progress = term_progress(user=admin, organization=root, as_of=dt.date(2019, 12, 31))
    client.force_login(admin)
    body = client.get("/", {"as_of": "2019-12-31"}).content.decode()
    # then: 1,631 of the term's 1,905 days gone
    target = Target.objects.get()
    assert (target.term.name, target.organization, target.new_members) == (
        "Nhiệm kỳ 2015–2020",
        root,
        1800,
    )
    assert (progress.admitted, progress.elapsed_days, progress.term_days) == (2106, 1631, 1905)
    assert progress.verdict == "exceeded"
    assert sum(y.admitted for y in progress.years) == 2106
    assert [y.year for y in progress.years] == [2015, 2016, 2017, 2018, 2019]
    assert "2.106 / 1.800 — vượt chỉ tiêu" in body
