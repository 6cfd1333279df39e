"""What every API address shares: the schema, token authentication, JSON errors in Vietnamese."""

from __future__ import annotations

import json

import pytest
from drf_spectacular.validation import validate_schema

from tests.api.conftest import NOT_FOUND, NOT_SIGNED_IN

SCHEMA = "/api/schema/"


# --- Schema -----------------------------------------------------------------------------------


def test_schema_is_valid_openapi_with_every_path(login, users):
    response = login(users.a1_manager).get(SCHEMA, {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert sorted(schema["paths"]) == [
        "/api/admissions/candidates/",
        "/api/admissions/candidates/{id}/",
        "/api/admissions/due/",
        "/api/admissions/eligibility/{id}/",
        "/api/admissions/stages/",
        "/api/members/",
        "/api/members/{id}/",
        "/api/organizations/",
        "/api/organizations/{id}/",
        "/api/stats/",
        "/api/terms/",
        "/api/terms/{id}/progress/",
    ]


def test_schema_documents_the_query_parameters(login, users):
    schema = login(users.a1_manager).get(SCHEMA, {"format": "json"}).json()

    def parameters(path: str) -> dict[str, dict]:
        return {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}

    members = parameters("/api/members/")
    assert sorted(members) == [
        "age_band",
        "as_of",
        "ordering",
        "organization",
        "page",
        "page_size",
        "political_theory_level",
        "q",
        "sex",
        "status",
    ]
    assert members["ordering"]["schema"]["enum"] == ["name", "-name", "birth", "-birth", ""]
    assert members["status"]["schema"]["enum"] == ["probationary", "full", ""]
    assert members["organization"]["schema"]["type"] == "integer"
    assert "YYYY-MM-DD" in members["as_of"]["description"]
    assert sorted(parameters("/api/organizations/")) == [
        "as_of",
        "level",
        "page",
        "page_size",
        "parent",
        "q",
    ]
    assert sorted(parameters("/api/members/{id}/")) == ["as_of", "id"]
    assert parameters("/api/members/{id}/")["id"]["schema"]["type"] == "integer"
    assert sorted(parameters("/api/stats/")) == ["as_of", "organization"]
    assert sorted(parameters("/api/admissions/candidates/")) == [
        "as_of",
        "organization",
        "page",
        "page_size",
        "q",
        "stage",
    ]
    assert sorted(parameters("/api/admissions/candidates/{id}/")) == ["as_of", "id"]
    assert sorted(parameters("/api/admissions/due/")) == ["as_of", "organization", "within_days"]
    assert sorted(parameters("/api/admissions/stages/")) == ["as_of", "organization"]
    assert sorted(parameters("/api/admissions/eligibility/{id}/")) == ["id", "meeting_date"]


def test_schema_needs_a_signed_in_user(client):
    response = client.get(SCHEMA, {"format": "json"})

    assert response.status_code == 401
    assert json.loads(response.content) == {"detail": NOT_SIGNED_IN}


def test_no_documentation_page_is_served(login, users):
    response = login(users.a1_manager).get("/api/docs/")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


# --- Token authentication ---------------------------------------------------------------------


def test_token_acts_with_the_roles_of_its_user(token_client, users, tree, member):
    client = token_client(users.a1_manager)

    organizations = client.get("/api/organizations/")
    member_response = client.get(f"/api/members/{member.pk}/")
    other_branch = client.get(f"/api/organizations/{tree.a2.pk}/")

    assert [row["code"] for row in organizations.json()["results"]] == ["A1"]
    assert member_response.status_code == 200
    assert other_branch.status_code == 404


def test_statistician_token_reads_counts_not_members(token_client, users, tree):
    client = token_client(users.statistician)

    assert client.get("/api/stats/").status_code == 200
    assert client.get("/api/members/").status_code == 403


@pytest.mark.parametrize(
    "header", ["Token 0000000000000000000000000000000000000000", "Token", "Token a b"]
)
def test_bad_token_is_401(client, tree, header):
    response = client.get("/api/organizations/", headers={"Authorization": header})

    assert response.status_code == 401
    assert response.json() == {"detail": "Mã truy cập không hợp lệ, hoặc tài khoản đã bị khóa."}
    assert response["WWW-Authenticate"] == "Token"


def test_token_of_a_deactivated_user_is_401(token_client, users, tree):
    client = token_client(users.a1_manager)
    users.a1_manager.is_active = False
    users.a1_manager.save()

    response = client.get("/api/organizations/")

    assert response.status_code == 401


# --- Errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_refused_with_405(login, users, tree, method):
    response = getattr(login(users.root_manager), method)(f"/api/organizations/{tree.a1.pk}/")

    assert response.status_code == 405
    assert response.json() == {
        "detail": "API này chỉ cho phép đọc dữ liệu; phương thức "
        f"{method.upper()} không được hỗ trợ."
    }


def test_unknown_addresses_are_json_404(login, users):
    client = login(users.root_manager)

    for url in ("/api/", "/api/nowhere/", "/api/members/1/events/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == NOT_FOUND


def test_missing_slash_redirects(login, users):
    response = login(users.root_manager).get("/api/organizations")

    assert response.status_code == 301
    assert response["Location"] == "/api/organizations/"


def test_only_json_is_offered(login, users, tree):
    response = login(users.root_manager).get("/api/organizations/", headers={"Accept": "text/html"})

    assert response.status_code == 406
    assert response.json() == {
        "detail": "API chỉ trả lời bằng JSON; hãy bỏ tiêu đề Accept hoặc dùng application/json."
    }


def test_csrf_refusal_is_in_vietnamese(users, tree):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users.root_manager)

    response = client.post("/api/organizations/")

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Yêu cầu bị từ chối vì thiếu mã CSRF; hãy tải lại trang rồi thử lại."
    }
