"""Who is who: governments, agencies, their unit tree, positions, employees and assignments."""

import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import ArchivableModel
from kinerja.organizations.validators import validate_nip


class User(AbstractUser):
    """A login. What it may see comes from its employee's assignments (see `scope`).

    `administered_government` makes the user an administrator of a whole
    Pemerintah Daerah (typically at Biro/Bagian Organisasi): every agency of
    that government is in scope.
    """

    administered_government = models.ForeignKey(
        "organizations.Government",
        verbose_name=_("administered government"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="administrators",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Government(ArchivableModel):
    """A Pemerintah Daerah: province, regency or city, with its time zone."""

    class Level(models.TextChoices):
        PROVINCE = "provinsi", _("Province")
        REGENCY = "kabupaten", _("Regency")
        CITY = "kota", _("City")

    class TimeZone(models.TextChoices):
        WIB = "Asia/Jakarta", "WIB"
        WITA = "Asia/Makassar", "WITA"
        WIT = "Asia/Jayapura", "WIT"

    name = models.CharField(_("name"), max_length=200, unique=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    code = models.CharField(_("region code"), max_length=20, unique=True)
    time_zone = models.CharField(_("time zone"), max_length=40, choices=TimeZone.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    capital = models.CharField(_("seat (city of signing)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("government")
        verbose_name_plural = _("governments")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agency(ArchivableModel):
    """A Perangkat Daerah (OPD): Dinas, Badan, Biro, Inspektorat, …

    Coordinating agencies (BAPPEDA, Biro/Bagian Organisasi, Inspektorat) receive
    other agencies' recaps and reports.
    """

    class Kind(models.TextChoices):
        DINAS = "dinas", _("Dinas")
        BADAN = "badan", _("Badan")
        BIRO = "biro", _("Biro")
        BAGIAN = "bagian", _("Bagian")
        INSPEKTORAT = "inspektorat", _("Inspektorat")
        SEKRETARIAT = "sekretariat", _("Sekretariat")
        KANTOR = "kantor", _("Kantor")

    government = models.ForeignKey(
        Government, verbose_name=_("government"), on_delete=models.PROTECT, related_name="agencies"
    )
    name = models.CharField(_("name"), max_length=250)
    short_name = models.CharField(_("short name"), max_length=60)
    code = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    is_coordinating = models.BooleanField(
        _("coordinating agency"),
        default=False,
        help_text=_("Receives other agencies' recaps and reports (BAPPEDA, Biro Organisasi, …)."),
    )
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    achievement_cap = models.DecimalField(
        _("achievement cap (%)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty for no cap."),
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["government__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["government", "name"], name="agency_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class OrgUnit(ArchivableModel):
    """A unit of an agency (Sekretariat, Sub Bagian, Bidang, Seksi, UPT), as a tree."""

    class Kind(models.TextChoices):
        SECRETARIAT = "sekretariat", _("Secretariat")
        SUBDIVISION = "subbagian", _("Sub Division")
        DIVISION = "bidang", _("Division")
        SECTION = "seksi", _("Section")
        TECHNICAL_UNIT = "upt", _("Technical Implementation Unit")

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="units"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=250)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    code = models.SlugField(_("code"), max_length=60)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisational units")
        ordering = ["agency", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="orgunit_code_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def collects_data(self) -> bool:
        """Bidang and UPT are the units that each fill in their own worksheet."""
        return self.kind in {self.Kind.DIVISION, self.Kind.TECHNICAL_UNIT, self.Kind.SECRETARIAT}


class RoleKey(models.TextChoices):
    """What a position does in the SOPs; the SOP actors are these keys."""

    KEPALA_DINAS = "kepala_dinas", _("Head of Agency")
    SEKRETARIS = "sekretaris", _("Secretary")
    KASUBBAG_PROGRAM = "kasubbag_program", _("Head of Programme Sub Division")
    KASUBBAG = "kasubbag", _("Head of Sub Division")
    KEPALA_BIDANG = "kepala_bidang", _("Head of Division")
    KEPALA_SEKSI = "kepala_seksi", _("Head of Section")
    KEPALA_UPT = "kepala_upt", _("Head of Technical Unit")
    FUNGSIONAL_UMUM = "fungsional_umum", _("General Functional Staff")
    PEMEGANG_DATA = "pemegang_data", _("Data Holder")
    STAF = "staf", _("Staff")


#: Roles that may draft and change the agency's plans (Renstra, PK, Rencana Aksi).
AGENCY_PLANNER_ROLES = frozenset(
    {
        RoleKey.KEPALA_DINAS,
        RoleKey.SEKRETARIS,
        RoleKey.KASUBBAG_PROGRAM,
        RoleKey.FUNGSIONAL_UMUM,
    }
)
#: Roles that may change the organisation of their agency (units, positions, appointments).
ORGANIZATION_ADMIN_ROLES = frozenset({RoleKey.KEPALA_DINAS, RoleKey.SEKRETARIS, RoleKey.KASUBBAG})
#: Roles that act for their own unit only.
UNIT_ROLES = frozenset(
    {RoleKey.KEPALA_BIDANG, RoleKey.KEPALA_SEKSI, RoleKey.KEPALA_UPT, RoleKey.PEMEGANG_DATA}
)


class Position(ArchivableModel):
    """A jabatan in an agency, with its role key and its direct superior (for the PK pair)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="positions"
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="positions",
        help_text=_("Empty for the head of the agency."),
    )
    code = models.SlugField(_("code"), max_length=60)
    title = models.CharField(_("title"), max_length=250)
    role_key = models.CharField(_("role"), max_length=30, choices=RoleKey.choices)
    superior = models.ForeignKey(
        "self",
        verbose_name=_("direct superior"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subordinates",
    )
    echelon = models.CharField(_("echelon"), max_length=10, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["agency", "sort_order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="position_code_unique")
        ]

    def __str__(self) -> str:
        return self.title


class Employee(ArchivableModel):
    """A person working in government, identified by NIP (PNS or PPPK)."""

    user = models.OneToOneField(
        User,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employee",
    )
    name = models.CharField(_("name with titles"), max_length=200)
    nip = models.CharField(
        _("NIP"), max_length=18, unique=True, null=True, blank=True, validators=[validate_nip]
    )
    rank = models.CharField(_("rank (pangkat)"), max_length=100, blank=True)
    grade = models.CharField(_("grade (golongan)"), max_length=10, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def active_on(self, day: datetime.date) -> "AssignmentQuerySet":
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )


class Assignment(ArchivableModel):
    """An employee holding a position from a date to a date, definitively or as Plt/Plh.

    Who acts for a position on a day: a Plh (standing in while the definitive
    holder is away) comes first, then a Plt (the position is vacant), then the
    definitive holder. See `selectors.position_holder`.
    """

    class Kind(models.TextChoices):
        DEFINITIVE = "definitif", _("Definitive")
        PLT = "plt", _("Plt (acting, vacant position)")
        PLH = "plh", _("Plh (acting, holder away)")

    #: lower sorts first: who acts when several assignments overlap
    PRECEDENCE = {Kind.PLH: 0, Kind.PLT: 1, Kind.DEFINITIVE: 2}

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="assignments"
    )
    position = models.ForeignKey(
        Position, verbose_name=_("position"), on_delete=models.PROTECT, related_name="assignments"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DEFINITIVE)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    decree_number = models.CharField(_("decree (SK) number"), max_length=100, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["position", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="assignment_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        prefix = "" if self.kind == self.Kind.DEFINITIVE else f"{self.get_kind_display()}: "
        return f"{prefix}{self.employee} — {self.position}"

    @property
    def title_prefix(self) -> str:
        """ "Plt. " / "Plh. " before the position title on signed documents."""
        return {"plt": "Plt. ", "plh": "Plh. "}.get(str(self.kind), "")


class Team(ArchivableModel):
    """A team set up by decree (SK): Tim SAKIP, Tim Penyusun LKjIP."""

    class Kind(models.TextChoices):
        SAKIP = "tim_sakip", _("SAKIP Team")
        LKJIP = "tim_lkjip", _("LKjIP Drafting Team")
        OTHER = "lainnya", _("Other team")

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="teams"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveIntegerField(_("year"))
    decree_number = models.CharField(_("decree (SK) number"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["agency", "-year", "name"]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"


class TeamMember(ArchivableModel):
    """An employee's seat in a team; leaving the team archives the seat (history kept)."""

    class Role(models.TextChoices):
        CHAIR = "ketua", _("Chair")
        SECRETARY = "sekretaris", _("Secretary")
        MEMBER = "anggota", _("Member")

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="members")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="team_seats")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "employee"],
                condition=Q(archived_at__isnull=True),
                name="team_member_unique_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee} ({self.get_role_display()})"
