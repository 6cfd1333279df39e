"""Fixtures for the API tests: more members for the query-count ceilings, a token client."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from dangbo.members import services as member_services
from tests.factories import make_person

NOT_SIGNED_IN = (
    "Bạn cần đăng nhập, hoặc gửi mã truy cập trong tiêu đề “Authorization: Token <mã truy cập>”."
)
NO_ROLE = "Tài khoản của bạn chưa được phân quyền trên tổ chức đảng nào."
NO_PERSONAL_DATA = (
    "Bạn không có quyền xem hồ sơ đảng viên; vai trò thống kê chỉ xem được số liệu tổng hợp."
)
NOT_FOUND = {"detail": "Không tìm thấy."}
INVALID_ID = "Mã số không hợp lệ: hãy nhập một số nguyên dương."


def bad_as_of(value: str) -> dict:
    return {
        "as_of": [
            f"Ngày xem (as_of) “{value}” không hợp lệ: hãy nhập theo dạng YYYY-MM-DD hoặc "
            "DD/MM/YYYY."
        ]
    }


@pytest.fixture
def more_members(tree, users, member):
    """Five more members in a1 (three) and a2 (two); all full members but Đỗ Quang Khải, whose
    recognition is still pending."""
    people = [
        ("Nguyễn", "Văn", "An", tree.a1, dt.date(1980, 1, 5), dt.date(2010, 6, 1)),
        ("Lê", "Thị", "Cúc", tree.a1, dt.date(1992, 2, 9), dt.date(2018, 9, 3)),
        ("Phạm", "Minh", "Đức", tree.a1, dt.date(1975, 11, 30), dt.date(2005, 1, 10)),
        ("Võ", "Thanh", "Hà", tree.a2, dt.date(1988, 4, 1), dt.date(2012, 5, 19)),
        ("Đỗ", "Quang", "Khải", tree.a2, dt.date(1995, 8, 15), dt.date(2019, 2, 1)),
    ]
    admitted = []
    for surname, middle, given, organization, born, decided in people:
        person = make_person(
            surname,
            middle,
            given,
            organization=organization,
            date_of_birth=born,
            employed_from=decided,
        )
        new_member = member_services.admit_member(
            actor=users.root_manager,
            person=person,
            organization=organization,
            decision_date=decided,
            ceremony_date=decided,
        )
        if given != "Khải":
            member_services.recognize_full_member(
                actor=users.root_manager,
                member=new_member,
                effective_date=member_services.probation_end(decided)[0],
            )
        admitted.append(new_member)
    return admitted


@pytest.fixture
def token_client(db):
    """A fresh client (no session) that sends ``Authorization: Token <key>`` for ``user``."""

    def make(user) -> Client:
        key = Token.objects.create(user=user).key
        return Client(headers={"Authorization": f"Token {key}"})

    return make
