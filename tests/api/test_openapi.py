"""The OpenAPI document is served and describes every endpoint and both auth schemes."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_openapi_document_lists_every_endpoint(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["info"]["version"] == "1"
    assert set(document["paths"]) == {
        "/api/v1/agencies",
        "/api/v1/agencies/{code}",
        "/api/v1/agencies/{code}/indicators",
        "/api/v1/agencies/{code}/achievement",
        "/api/v1/agencies/{code}/collections",
        "/api/v1/collections/{collection_id}",
        "/api/v1/collections/{collection_id}/recap",
        "/api/v1/worksheets/{worksheet_id}/values",
    }
    assert all(set(methods) == {"get"} for methods in document["paths"].values())
    schemes = document["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"} in schemes.values()
    assert any(scheme["in"] == "cookie" for scheme in schemes.values() if "in" in scheme)
    achievement = document["paths"]["/api/v1/agencies/{code}/achievement"]["get"]
    assert {p["name"] for p in achievement["parameters"]} == {"code", "year", "period"}
