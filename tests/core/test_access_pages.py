"""What every page of the organization tree and the audit log shares: login first, and a bad
``as_of`` is a message on a working page, never an error."""

from __future__ import annotations

import pytest

PAGES = {
    "organization_list": lambda tree: "/organizations/",
    "organization_search": lambda tree: "/organizations/?q=chi+bo",
    "organization_detail": lambda tree: f"/organizations/{tree.gc.pk}/",
    "organization_create": lambda tree: f"/organizations/new/?parent={tree.gc.pk}",
    "organization_update": lambda tree: f"/organizations/{tree.gc.pk}/edit/",
    "audit_list": lambda tree: "/audit/",
}


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_login(client, tree, page):
    # given
    url = PAGES[page](tree)
    # when
    response = client.get(url)
    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("as_of", ["2024-02-30", "abc", "01/01/1900", "9999-12-31"])
def test_bad_as_of_is_a_message_on_a_working_page(tree, users, login, page, as_of):
    # given
    url = PAGES[page](tree)
    separator = "&" if "?" in url else "?"
    # when
    response = login(users.root_manager).get(f"{url}{separator}as_of={as_of}")
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert '<div class="msg msg-error" role="alert">Ngày xem (as_of)' in body
    assert "Đang hiển thị số liệu hôm nay." in body


@pytest.mark.parametrize("page", PAGES)
def test_pages_speak_vietnamese(tree, users, login, page):
    # when
    response = login(users.root_manager).get(PAGES[page](tree))
    # then
    assert response.status_code == 200
    assert '<html lang="vi">' in response.content.decode()
