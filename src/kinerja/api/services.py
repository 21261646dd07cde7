"""Writes of the API app: issuing and revoking tokens (run by an operator on the server)."""

import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.api.models import ApiToken, key_digest
from kinerja.core.errors import NotFound, ValidationFailed
from kinerja.core.services import change_record_create
from kinerja.organizations.models import User

#: Prefix that makes a leaked key easy to recognise (secret scanners, logs).
KEY_PREFIX = "knj_"


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    #: the only time the plain key exists; it is not stored
    key: str


def api_token_create(*, username: str, name: str) -> IssuedToken:
    """Issue a new token for an active user; the key is returned once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationFailed({"name": [_("Give the token a name.")]})
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise NotFound(_("No active user %(username)s.") % {"username": username})
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, key_digest=key_digest(key))
        change_record_create(instance=token, action="create", user_id=None, reason=name)
    return IssuedToken(token=token, key=key)


def api_token_revoke(*, username: str, name: str) -> int:
    """Revoke the user's active tokens with this name; how many were revoked (at least one)."""
    with transaction.atomic():
        tokens = list(
            ApiToken.objects.select_for_update().filter(
                user__username=username, name=name, revoked_at__isnull=True
            )
        )
        if not tokens:
            raise NotFound(
                _("User %(username)s has no active token named %(name)s.")
                % {"username": username, "name": name}
            )
        now = timezone.now()
        for token in tokens:
            token.revoked_at = now
            token.save(update_fields=["revoked_at"])
            change_record_create(
                instance=token, action="revoke", user_id=None, changes={"revoked_at": (None, now)}
            )
    return len(tokens)
