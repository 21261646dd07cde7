"""One error hierarchy for every service; views turn it into messages in one place.

Services raise these with messages already marked for translation; they never
return error codes. `kinerja.core.views_errors.service_errors` and the API's exception
handler are the only places that turn them into responses.
"""

from collections.abc import Mapping, Sequence


class KinerjaError(Exception):
    """Base of every error a service raises on purpose. `message` is user-facing."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationFailed(KinerjaError):
    """Input was rejected; nothing was changed. `errors` maps a field/cell/path to messages."""

    def __init__(self, errors: Mapping[str, Sequence[str]] | str) -> None:
        if isinstance(errors, str):
            errors = {"__all__": [errors]}
        self.errors: dict[str, list[str]] = {key: list(msgs) for key, msgs in errors.items()}
        super().__init__("; ".join(f"{m}" for msgs in self.errors.values() for m in msgs))


class AccessDenied(KinerjaError):
    """The user may not see or change this object."""


class NotFound(KinerjaError):
    """The object does not exist or is outside the user's scope (we do not say which)."""


class Conflict(KinerjaError):
    """Someone else changed the object first (stale version, lost race)."""
