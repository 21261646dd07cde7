"""Who calls the API: a browser session (CSRF-checked on unsafe methods) or a bearer token.

Either way the request ends up with `request.user` and `request.scope` (the
user's UserScope), so the endpoints scope every read the same way as the pages.
"""

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from ninja.security import HttpBearer, django_auth

from kinerja.api.models import ApiToken, key_digest
from kinerja.organizations.access import scope_for

#: `last_used_at` is written at most this often per token, not on every call.
LAST_USED_RESOLUTION = timedelta(minutes=5)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>`: an active token of an active user."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        if not token:
            return None
        api_token = (
            ApiToken.objects.active()
            .select_related("user")
            .filter(key_digest=key_digest(token))
            .first()
        )
        if api_token is None:
            return None
        now = timezone.now()
        if api_token.last_used_at is None or now - api_token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        user = api_token.user
        request.user = user
        request.scope = SimpleLazyObject(lambda: scope_for(user))  # type: ignore[attr-defined]
        return user


#: session first (the pages' own fetches), then a token
api_auth = [django_auth, TokenAuth()]
