"""`kinerja api-token create|revoke`: the key is printed once, only its digest is kept."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kinerja.api.models import ApiToken, key_digest
from kinerja.core.models import ChangeRecord
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("api_token", *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def test_create_prints_a_key_that_authenticates(client):
    user = UserFactory(username="kasubbag")

    key = run("create", "kasubbag", "dasbor-bappeda")

    token = ApiToken.objects.get()
    assert token.user == user
    assert token.name == "dasbor-bappeda"
    assert token.key_digest == key_digest(key)
    assert key.startswith("knj_")
    assert ChangeRecord.objects.filter(model="apitoken", action="create").count() == 1
    response = client.get("/api/v1/agencies", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200


def test_each_token_gets_its_own_key():
    UserFactory(username="kasubbag")

    assert run("create", "kasubbag", "a") != run("create", "kasubbag", "a")


def test_revoke_ends_the_named_tokens(client):
    UserFactory(username="kasubbag")
    key = run("create", "kasubbag", "dasbor")
    kept = run("create", "kasubbag", "lain")

    assert run("revoke", "kasubbag", "dasbor") == "Revoked 1 token(s)."

    assert (
        client.get("/api/v1/agencies", headers={"Authorization": f"Bearer {key}"}).status_code
        == 401
    )
    assert (
        client.get("/api/v1/agencies", headers={"Authorization": f"Bearer {kept}"}).status_code
        == 200
    )
    assert ApiToken.objects.filter(revoked_at__isnull=False).count() == 1
    assert ChangeRecord.objects.filter(model="apitoken", action="revoke").count() == 1


def test_unknown_users_and_tokens_are_errors():
    UserFactory(username="kasubbag", is_active=True)

    with pytest.raises(CommandError):
        run("create", "nobody", "dasbor")
    with pytest.raises(CommandError):
        run("create", "kasubbag", "  ")
    with pytest.raises(CommandError):
        run("revoke", "kasubbag", "dasbor")
    assert not ApiToken.objects.exists()


def test_inactive_users_get_no_token():
    UserFactory(username="pensiun", is_active=False)

    with pytest.raises(CommandError):
        run("create", "pensiun", "dasbor")
