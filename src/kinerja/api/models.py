"""API tokens: only a SHA-256 digest of each key is stored; the key is shown once."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def key_digest(key: str) -> str:
    """The stored form of a key (hex SHA-256); keys are random, so no salt is needed."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A bearer token of one user for the REST API (`Authorization: Bearer <key>`).

    Never deleted: a revoked token keeps its row (revoked_at) so its use stays traceable.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    key_digest = models.CharField(_("key digest (SHA-256)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["user", "-created_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.name}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
