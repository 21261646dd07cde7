"""`kinerja sla sweep`: run the SLA sweep once and print what it did."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from kinerja.workflow.sla import SweepReport, sla_sweep


class Command(BaseCommand):
    help = (
        "Service levels of open workflow tasks. `sweep`: mark overdue tasks, remind assignees "
        "before the due time, send breach notices after it and escalate breaches to the "
        "superior (in-app and by e-mail). Running it again sends nothing twice; "
        "`kinerja worker` runs it periodically."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("sweep", help="Run the SLA sweep once.")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        report = sla_sweep()
        for line in report_lines(report):
            self.stdout.write(line)


def report_lines(report: SweepReport) -> list[str]:
    """The sweep's report as printed by `kinerja sla sweep` and `kinerja worker`."""
    lines = [
        _("Marked overdue: %(count)d") % {"count": len(report.overdue)},
        _("Reminders sent: %(count)d") % {"count": len(report.reminded)},
        _("Breach notices sent: %(count)d") % {"count": len(report.breach_notified)},
        _("Escalated to the superior: %(count)d") % {"count": len(report.escalated)},
        _("E-mails sent: %(count)d") % {"count": report.emails},
    ]
    if report.not_escalated:
        lines.append(
            _("Not escalated (no superior holds office): tasks %(ids)s")
            % {"ids": ", ".join(str(pk) for pk in report.not_escalated)}
        )
    return lines
