"""The demo: the four agencies of the SOP seeds, BAPPEDA and Biro Organisasi, and logins.

The data files in `data/` (one agency each, in the planning import format) are
the source of truth. They go through `planning_import`, the same importer as a
user's upload, so the demo can never hold data the application would refuse.
Loading is idempotent: a second run finds everything in place and changes
nothing (existing accounts keep their password).
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from kinerja.calendars.services import holidays_sync
from kinerja.collection.demo import load_demo_collection
from kinerja.core.services import change_record_create
from kinerja.organizations.access import UserScope
from kinerja.organizations.models import Agency, Employee, Government, Position, Team, User
from kinerja.organizations.selectors import position_holder
from kinerja.organizations.services import government_create
from kinerja.planning.interchange.importer import planning_import
from kinerja.workflow.demo import load_demo_sops

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_PASSWORD = "kinerja2025"
#: The demo loader is a trusted system call, like an operator's management command.
SYSTEM = UserScope(user_id=None, is_superuser=True)

SULTENG = "dinkop-ukm-sulteng"
SIANTAR = "dpmptsp-pematangsiantar"

#: Provinces above the demo's city and regencies. A data file names its
#: government's province by code but creates only its own government.
PARENT_GOVERNMENTS = (
    ("12", "Provinsi Sumatera Utara", Government.TimeZone.WIB, "Medan"),
    ("13", "Provinsi Sumatera Barat", Government.TimeZone.WIB, "Padang"),
    ("63", "Provinsi Kalimantan Selatan", Government.TimeZone.WITA, "Banjarbaru"),
)


class Writer(Protocol):
    """Where the account list is printed: a text stream or a command's stdout."""

    def write(self, text: str, /) -> object: ...


class DemoDataError(Exception):
    """A demo data file was refused by the importer (or names a seat nobody holds)."""

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems)


@dataclass(frozen=True)
class DemoAccount:
    """One demo login as printed by `kinerja demo`.

    `claim` is what the account stands for: a role key held in `agency`, a
    team kind (the account's employee sits in such a team), "government_admin"
    or "superuser".
    """

    username: str
    role: str
    agency: str
    claim: str


@dataclass(frozen=True)
class _Seat:
    """A demo login for whoever holds `position` of `agency` today."""

    username: str
    agency: str
    position: str
    role: Promise
    team_kind: str = ""


SEATS = (
    _Seat("kadis.sulteng", SULTENG, "kadis", pgettext_lazy("demo account", "Head of Agency")),
    _Seat("sekretaris.sulteng", SULTENG, "sekretaris", pgettext_lazy("demo account", "Secretary")),
    _Seat(
        "kasubbag.sulteng",
        SULTENG,
        "kasubbag-pka",
        pgettext_lazy("demo account", "Head of Programme, Finance and Assets Sub Division"),
    ),
    _Seat(
        "fungsional.sulteng",
        SULTENG,
        "fu-program",
        pgettext_lazy("demo account", "General Functional Staff"),
    ),
    _Seat(
        "kabid.sulteng",
        SULTENG,
        "kabid-kelembagaan",
        pgettext_lazy("demo account", "Acting Head of Division (Plt)"),
    ),
    _Seat(
        "pemegangdata.sulteng",
        SULTENG,
        "pd-kelembagaan",
        pgettext_lazy("demo account", "Data Holder"),
    ),
    _Seat(
        "kupt.sulteng",
        SULTENG,
        "kupt",
        pgettext_lazy("demo account", "Head of Technical Unit (UPT)"),
    ),
    _Seat(
        "bappeda.sulteng",
        "bappeda-sulteng",
        "kabid-ppepd",
        pgettext_lazy("demo account", "Head of Division at BAPPEDA"),
    ),
    _Seat(
        "biro.sulteng",
        "biro-organisasi-sulteng",
        "kabag-rbak",
        pgettext_lazy("demo account", "Head of Section at the Organisation Bureau"),
    ),
    _Seat(
        "kadis.pematangsiantar", SIANTAR, "kadis", pgettext_lazy("demo account", "Head of Agency")
    ),
    _Seat(
        "sekretaris.pematangsiantar",
        SIANTAR,
        "sekretaris",
        pgettext_lazy("demo account", "Secretary"),
    ),
    _Seat(
        "timsakip.pematangsiantar",
        SIANTAR,
        "fu-program",
        pgettext_lazy("demo account", "SAKIP Team secretary"),
        team_kind=Team.Kind.SAKIP,
    ),
    _Seat(
        "pemegangdata.pematangsiantar",
        SIANTAR,
        "pd-perizinan",
        pgettext_lazy("demo account", "Data Holder"),
    ),
    _Seat(
        "kadis.balangan",
        "diskopukmperindag-balangan",
        "kadis",
        pgettext_lazy("demo account", "Head of Agency"),
    ),
    _Seat(
        "kadis.limapuluhkota",
        "disperinaker-limapuluhkota",
        "kadis",
        pgettext_lazy("demo account", "Head of Agency"),
    ),
)
GOVERNMENT_ADMIN = ("admin.sulteng", "72")
SUPERUSER = "admin"


def data_files() -> list[Path]:
    """The demo data files in load order."""
    return sorted(DATA_DIR.glob("*.json"))


def load_demo(*, stdout: Writer | None = None) -> list[DemoAccount]:
    """Import every demo data file and create the demo logins, all or nothing.

    Raises DemoDataError, with the importer's problems, when a file is refused.
    When `stdout` is given, the accounts and their password are printed there.
    """
    with transaction.atomic():
        _parent_governments_ensure()
        for path in data_files():
            _import_file(path)
        _holidays_ensure()
        load_demo_sops()
        accounts = _accounts_ensure()
        load_demo_collection()
    if stdout is not None:
        _print_accounts(accounts, stdout)
    return accounts


def _parent_governments_ensure() -> None:
    known = set(Government.objects.values_list("code", flat=True))
    for code, name, time_zone, capital in PARENT_GOVERNMENTS:
        if code not in known:
            government_create(
                actor=SYSTEM,
                name=name,
                level=Government.Level.PROVINCE,
                code=code,
                time_zone=time_zone,
                capital=capital,
            )


#: Years whose national holidays and cuti bersama the demo calendars carry.
HOLIDAY_YEARS = (2025, 2026, 2027)


def _holidays_ensure() -> None:
    """Fill every demo government's calendar from the `holidays` package (idempotent)."""
    for government in Government.objects.order_by("pk"):
        for year in HOLIDAY_YEARS:
            holidays_sync(actor=SYSTEM, government=government, year=year)


def _import_file(path: Path) -> None:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    report = planning_import(actor=None, data=data, dry_run=False)
    if report.problems:
        raise DemoDataError(
            _("The demo data file %(file)s was refused.") % {"file": path.name},
            [str(problem) for problem in report.problems],
        )


# --- accounts ----------------------------------------------------------------------------

_HONORIFICS = frozenset({"dr.", "ir.", "drs.", "dra.", "h.", "hj.", "prof."})


def split_name(name: str) -> tuple[str, str]:
    """First and last name for the login: titles and degrees dropped, the last word apart."""
    words = [w for w in name.split(",")[0].split() if w.lower() not in _HONORIFICS]
    if len(words) < 2:
        return " ".join(words), ""
    return " ".join(words[:-1]), words[-1]


def _accounts_ensure() -> list[DemoAccount]:
    agencies = {
        agency.code: agency
        for agency in Agency.objects.filter(code__in={seat.agency for seat in SEATS})
    }
    accounts = []
    for seat in SEATS:
        agency = agencies[seat.agency]
        position = Position.objects.get(agency=agency, code=seat.position)
        holder = position_holder(position=position, day=timezone.localdate())
        if holder is None:
            raise DemoDataError(
                _("Nobody holds the position %(code)s of %(agency)s today.")
                % {"code": seat.position, "agency": agency.short_name}
            )
        _employee_user_ensure(seat.username, holder.employee)
        accounts.append(
            DemoAccount(
                username=seat.username,
                role=str(seat.role),
                agency=agency.name,
                claim=seat.team_kind or position.role_key,
            )
        )
    username, code = GOVERNMENT_ADMIN
    government = Government.objects.get(code=code)
    if not User.objects.filter(username=username).exists():
        User.objects.create_user(
            username=username, password=DEMO_PASSWORD, administered_government=government
        )
    accounts.append(
        DemoAccount(
            username=username,
            role=str(pgettext_lazy("demo account", "Government administrator")),
            agency=government.name,
            claim="government_admin",
        )
    )
    if not User.objects.filter(username=SUPERUSER).exists():
        User.objects.create_user(
            username=SUPERUSER, password=DEMO_PASSWORD, is_staff=True, is_superuser=True
        )
    accounts.append(
        DemoAccount(
            username=SUPERUSER,
            role=str(pgettext_lazy("demo account", "System administrator (superuser)")),
            agency=_("All governments"),
            claim="superuser",
        )
    )
    return accounts


def _employee_user_ensure(username: str, employee: Employee) -> User:
    """The login of `employee`, created and linked on the first run only."""
    user = User.objects.filter(username=username).first()
    if user is None:
        first_name, last_name = split_name(employee.name)
        user = User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            first_name=first_name,
            last_name=last_name,
            email=employee.email,
        )
    if employee.user_id == user.pk:
        return user
    if employee.user_id is not None:
        raise DemoDataError(
            _("%(name)s already has another user account; %(username)s cannot be linked.")
            % {"name": employee.name, "username": username}
        )
    employee.user = user
    employee.save(update_fields=["user", "updated_at"])
    change_record_create(
        instance=employee, action="update", user_id=None, changes={"user": (None, user)}
    )
    return user


def _print_accounts(accounts: list[DemoAccount], stdout: Writer) -> None:
    header = (_("Username"), _("Role"), _("Agency"))
    rows = [header] + [(a.username, a.role, a.agency) for a in accounts]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    stdout.write(_("Demo data loaded. Demo accounts:") + "\n\n")
    for i, (username, role, agency) in enumerate(rows):
        stdout.write(f"  {username:<{widths[0]}}  {role:<{widths[1]}}  {agency}\n")
        if i == 0:
            stdout.write("  " + "  ".join("-" * width for width in widths) + "\n")
    stdout.write(
        "\n"
        + _("Password for every demo account: %(password)s") % {"password": DEMO_PASSWORD}
        + "\n"
    )
