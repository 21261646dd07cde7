"""Who may call the API: session, bearer token; anonymous, unknown, revoked tokens get 401."""

import pytest

from kinerja.api.models import ApiToken, key_digest
from kinerja.api.services import api_token_revoke

pytestmark = pytest.mark.django_db
URL = "/api/v1/agencies"


def test_anonymous_callers_get_401_with_a_json_message(client):
    response = client.get(URL)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["detail"]


def test_a_session_authenticates(client, member, agency):
    client.force_login(member)

    response = client.get(URL)

    assert response.status_code == 200
    assert [item["code"] for item in response.json()] == [agency.code]


def test_a_bearer_token_authenticates_and_records_its_use(client, bearer, token, agency):
    response = client.get(URL, headers=bearer)

    assert response.status_code == 200
    assert [item["code"] for item in response.json()] == [agency.code]
    stored = ApiToken.objects.get(key_digest=key_digest(token))
    assert stored.last_used_at is not None


def test_only_the_digest_of_the_key_is_stored(token):
    stored = ApiToken.objects.get()

    assert stored.key_digest == key_digest(token)
    assert token not in {stored.key_digest, stored.name}
    assert len(stored.key_digest) == 64


@pytest.mark.parametrize(
    "header", ["Bearer knj_not-a-real-key", "Bearer ", "Token abc", "Basic dXNlcjpwYXNz"]
)
def test_unknown_or_malformed_tokens_get_401(client, token, header):
    assert client.get(URL, headers={"Authorization": header}).status_code == 401


def test_a_revoked_token_gets_401(client, member, bearer):
    api_token_revoke(username=member.username, name="dasbor")

    assert client.get(URL, headers=bearer).status_code == 401


def test_an_inactive_users_token_gets_401(client, member, bearer):
    member.is_active = False
    member.save()

    assert client.get(URL, headers=bearer).status_code == 401


def test_the_token_user_is_scoped_like_a_session(client, bearer, other_agency):
    response = client.get(f"{URL}/{other_agency.code}", headers=bearer)

    assert response.status_code == 404
