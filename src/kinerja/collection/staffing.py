"""Who supplies a unit's data by default: its pemegang data, else the head of the unit."""

from collections.abc import Sequence

from kinerja.organizations.models import Employee, OrgUnit, Position, RoleKey
from kinerja.organizations.selectors import holders_by_position

#: preferred first: a unit's data holder, then whoever heads the unit
_PREFERENCE = [
    RoleKey.PEMEGANG_DATA,
    RoleKey.KEPALA_BIDANG,
    RoleKey.KEPALA_UPT,
    RoleKey.SEKRETARIS,
    RoleKey.KASUBBAG_PROGRAM,
    RoleKey.KASUBBAG,
    RoleKey.KEPALA_SEKSI,
]


def default_data_holders(*, units: Sequence[OrgUnit]) -> dict[int, Employee]:
    """unit id → the employee who holds its data today (two queries for any number of units).

    A vacant pemegang data position falls through to the unit head.
    """
    positions = Position.objects.filter(
        unit__in=[unit.pk for unit in units], role_key__in=_PREFERENCE, archived_at__isnull=True
    )
    holders = holders_by_position(positions=positions)
    ranked: dict[int, tuple[int, int, Employee]] = {}
    for position in positions:
        holder = holders.get(position.pk)
        if holder is None or position.unit_id is None:
            continue
        rank = (_PREFERENCE.index(RoleKey(position.role_key)), position.sort_order)
        best = ranked.get(position.unit_id)
        if best is None or rank < best[:2]:
            ranked[position.unit_id] = (*rank, holder.employee)
    return {unit_id: entry[2] for unit_id, entry in ranked.items()}
