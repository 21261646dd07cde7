"""Who may add to and archive an agency's documents (reading follows the agency view rule).

Documents are written by the people who work in the agency (any role, since
every actor of an SOP produces outputs); a government administrator or a
coordinating agency may read them but not add to them. Archiving is for the
author and for the agency's organisers, who keep its records.
"""

from django.utils.translation import gettext as _

from kinerja.core.errors import AccessDenied
from kinerja.documents.models import Document
from kinerja.organizations.access import UserScope
from kinerja.organizations.models import Agency


def can_write_documents(scope: UserScope, agency: Agency) -> bool:
    return scope.is_superuser or agency.pk in scope.agency_ids


def can_archive_document(scope: UserScope, document: Document) -> bool:
    if scope.can_organize_agency(document.agency):
        return True
    return (
        can_write_documents(scope, document.agency)
        and scope.user_id is not None
        and document.created_by_id == scope.user_id
    )


def access_agency_for_documents(scope: UserScope, agency: Agency) -> Agency:
    if not can_write_documents(scope, agency):
        raise AccessDenied(_("Only the staff of this agency may add its documents."))
    return agency


def access_document_for_archive(scope: UserScope, document: Document) -> Document:
    if not can_archive_document(scope, document):
        raise AccessDenied(
            _("Only the author or the agency's organisers may archive this document.")
        )
    return document
