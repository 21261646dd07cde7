"""The UI is Indonesian whatever the browser asks for, unless the user picked a language."""

import pytest

pytestmark = pytest.mark.django_db


def test_english_browser_still_gets_indonesian(client):
    response = client.get("/masuk/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "id"
    assert "Masuk" in response.content.decode()


def test_a_chosen_language_is_honoured(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/masuk/"})
    response = client.get("/masuk/")
    assert response["Content-Language"] == "en"
    assert "Log in" in response.content.decode()


def test_an_unknown_language_cookie_falls_back_to_indonesian(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get("/masuk/")["Content-Language"] == "id"
