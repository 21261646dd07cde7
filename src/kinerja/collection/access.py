"""Who may enter a worksheet row's data (its data holder, or whoever edits the unit) and
who may submit the worksheet (the unit)."""

from django.utils.translation import gettext as _

from kinerja.collection.models import Worksheet, WorksheetRow
from kinerja.core.errors import AccessDenied
from kinerja.organizations.access import UserScope


def can_enter_row(scope: UserScope, row: WorksheetRow) -> bool:
    if scope.employee_id is not None and scope.employee_id == row.data_holder_id:
        return row.worksheet.collection.agency_id in scope.agency_ids
    return scope.can_edit_unit(row.worksheet.unit)


def access_row_for_entry(scope: UserScope, row: WorksheetRow) -> WorksheetRow:
    if not can_enter_row(scope, row):
        raise AccessDenied(_("Only the row's data holder or the unit may enter its data."))
    return row


def can_submit_worksheet(scope: UserScope, worksheet: Worksheet) -> bool:
    """The unit's own roles (its head, its pemegang data, …) and the agency's planners.

    A data holder from another unit enters only their rows; handing in the whole
    worksheet is the unit's.
    """
    return scope.can_edit_unit(worksheet.unit)


def access_worksheet_for_submit(scope: UserScope, worksheet: Worksheet) -> Worksheet:
    if not can_submit_worksheet(scope, worksheet):
        raise AccessDenied(_("Only the unit may submit its worksheet."))
    return worksheet
