"""Indonesia's national holidays and cuti bersama as the `holidays` package publishes them.

The package keeps two categories for Indonesia: PUBLIC, the national holidays
(hari libur nasional), and GOVERNMENT, the cuti bersama that the SKB 3 Menteri
sets each year for civil servants; so no cuti bersama data is kept in this
app. Names are in Indonesian (the package's `id` language). For a year whose
decree is not out yet the package gives estimated dates, marked "(perkiraan)";
a later package version corrects them and the next sync follows
(`services.holidays_sync`).
"""

import datetime
from dataclasses import dataclass

import holidays

FIRST_YEAR: int = holidays.Indonesia.start_year
LAST_YEAR: int = holidays.Indonesia.end_year
#: recorded as the reason of every change a sync makes
SOURCE = f"holidays {holidays.__version__}"


@dataclass(frozen=True)
class NationalHoliday:
    date: datetime.date
    name: str
    cuti_bersama: bool


def national_holidays(year: int) -> list[NationalHoliday]:
    """The year's national holidays and cuti bersama, one entry per name (a date may have two)."""
    result: list[NationalHoliday] = []
    for category, cuti_bersama in ((holidays.PUBLIC, False), (holidays.GOVERNMENT, True)):
        days = holidays.Indonesia(years=year, categories=(category,), language="id")
        for day in sorted(days):
            result.extend(
                NationalHoliday(date=day, name=name, cuti_bersama=cuti_bersama)
                for name in days.get_list(day)
            )
    return result
