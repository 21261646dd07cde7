"""Checks every uploaded file passes before anything is stored: size, type, sha256.

Other apps that accept files (evidence, task outputs) use `upload_check` too,
so the rules are the same everywhere.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.utils.translation import gettext as _

from kinerja.core.errors import ValidationFailed
from kinerja.documents.domain.filetype import FileType, detect
from kinerja.documents.domain.sizes import format_size

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class CheckedUpload:
    file_type: FileType
    sha256: str
    size: int


def max_upload_bytes() -> int:
    return int(getattr(settings, "KINERJA_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def upload_check(uploaded: File, *, field: str = "file") -> CheckedUpload:
    """Refuse a file that is too large, empty or not an accepted type; hash the rest.

    The type comes from the content (`domain.filetype`), the hash is computed
    chunk by chunk, and the size is counted while reading rather than trusted.
    Errors are `ValidationFailed` keyed by `field`.
    """
    limit = max_upload_bytes()
    if uploaded.size is not None and uploaded.size > limit:
        raise ValidationFailed({field: [_too_large(limit)]})
    digest = hashlib.sha256()
    size = 0
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        size += len(chunk)
        if size > limit:
            raise ValidationFailed({field: [_too_large(limit)]})
        digest.update(chunk)
    if size == 0 or uploaded.file is None:
        raise ValidationFailed({field: [_("The file is empty.")]})
    file_type = detect(uploaded.file)
    if file_type is None:
        raise ValidationFailed(
            {
                field: [
                    _(
                        "This type of file is not accepted. Upload a PDF, PNG or JPEG file, "
                        "a Word document (docx) or an Excel workbook (xlsx)."
                    )
                ]
            }
        )
    uploaded.seek(0)
    return CheckedUpload(file_type=file_type, sha256=digest.hexdigest(), size=size)


def limit_text() -> str:
    """The upload limit the Indonesian way ("20 MB", "1,5 KB")."""
    return format_size(max_upload_bytes())


def _too_large(limit: int) -> str:
    return _("The file is larger than the limit of %(limit)s.") % {"limit": format_size(limit)}
