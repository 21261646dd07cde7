"""The calendar pages: what each kind of user gets, denials on every page, query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from kinerja.calendars.models import Holiday, WorkingCalendar
from kinerja.calendars.services import holiday_add
from kinerja.core.models import ChangeRecord

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def holiday(government, admin_scope):
    return holiday_add(
        actor=admin_scope, government=government, date=D(2025, 10, 13), name="Hari Jadi"
    )


def list_url(government, year=2025):
    return reverse("calendars:holiday_list", args=[government.pk, year])


def write_requests(government, holiday):
    """(method, url, data) of every page that changes something."""
    return [
        ("get", reverse("calendars:holiday_add", args=[government.pk, 2025]), None),
        (
            "post",
            reverse("calendars:holiday_add", args=[government.pk, 2025]),
            {"date": "2025-11-03", "name": "Pilkada", "kind": "regional"},
        ),
        ("post", reverse("calendars:holiday_archive", args=[holiday.pk]), {}),
        ("post", reverse("calendars:holidays_sync", args=[government.pk, 2025]), {}),
        ("get", reverse("calendars:working_calendar_update", args=[government.pk]), None),
        (
            "post",
            reverse("calendars:working_calendar_update", args=[government.pk]),
            {"working_weekdays": ["0", "1"], "periods": "08:00-12:00"},
        ),
    ]


def unchanged(holiday):
    holiday.refresh_from_db()
    return (
        not holiday.is_archived
        and Holiday.objects.count() == 1
        and not WorkingCalendar.objects.exists()
    )


# --- reading ---------------------------------------------------------------------------------


def test_reader_sees_holidays_and_hours_without_controls(client, reader, government, holiday):
    client.force_login(reader)
    response = client.get(list_url(government))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hari Jadi" in html
    assert "Holidays and cuti bersama 2025" in html  # the year is not shown as "2.025"
    assert "08:00-12:00, 13:00-17:00" in html
    assert 'data-testid="sync-form"' not in html
    assert 'data-testid="archive-holiday"' not in html
    assert 'data-testid="holiday-form"' not in html


def test_admin_sees_the_controls(client, gov_admin, government, holiday):
    client.force_login(gov_admin)
    html = client.get(list_url(government)).content.decode()
    for testid in ("sync-form", "archive-holiday", "holiday-form"):
        assert f'data-testid="{testid}"' in html


def test_other_years_and_removed_days(client, gov_admin, admin_scope, government, holiday):
    client.force_login(gov_admin)
    assert "Hari Jadi" not in client.get(list_url(government, 2026)).content.decode()
    client.post(reverse("calendars:holiday_archive", args=[holiday.pk]))
    html = client.get(list_url(government)).content.decode()
    assert 'data-testid="holiday-row"' not in html
    assert 'data-testid="archived-holidays"' in html and "Hari Jadi" in html


def test_index_goes_to_the_users_government(client, reader, government):
    client.force_login(reader)
    response = client.get(reverse("calendars:index"))
    assert response.status_code == 302
    assert response["Location"] == list_url(government, timezone.localdate().year)


def test_index_lists_governments_for_a_superuser(client, superuser, government, other_agency):
    client.force_login(superuser)
    html = client.get(reverse("calendars:index")).content.decode()
    assert government.name in html and other_agency.government.name in html


def test_anonymous_goes_to_login(client, government):
    response = client.get(list_url(government))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_year_outside_the_list_is_404(client, reader, government):
    client.force_login(reader)
    assert client.get(list_url(government, 1900)).status_code == 404


@pytest.mark.parametrize("count", [2, 60])
def test_holiday_page_queries_do_not_grow(
    client, gov_admin, admin_scope, government, count, django_assert_max_num_queries
):
    for i in range(count):
        holiday_add(
            actor=admin_scope,
            government=government,
            date=D(2025, 1, 1) + datetime.timedelta(i),
            name="L",
        )
    client.force_login(gov_admin)
    with django_assert_max_num_queries(8):
        response = client.get(list_url(government))
    assert response.content.decode().count('data-testid="holiday-row"') == count


# --- denials ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["outsider", "other_admin"])
def test_another_governments_calendar_is_404_everywhere(request, client, government, holiday, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(list_url(government)).status_code == 404
    for method, url, data in write_requests(government, holiday):
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        assert response.status_code == 404, url
    assert unchanged(holiday)


def test_reader_may_not_change_anything(client, reader, government, holiday):
    client.force_login(reader)
    for method, url, data in write_requests(government, holiday):
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        assert response.status_code == 403, url
    assert unchanged(holiday)


# --- changing ------------------------------------------------------------------------------


def test_admin_adds_a_day_off(client, gov_admin, government):
    client.force_login(gov_admin)
    response = client.post(
        reverse("calendars:holiday_add", args=[government.pk, 2025]),
        {"date": "2026-02-02", "name": "Pilkada", "kind": "regional"},
    )
    assert response.status_code == 302
    assert response["Location"] == list_url(government, 2026)
    holiday = Holiday.objects.get()
    assert (holiday.date, holiday.name, holiday.source) == (D(2026, 2, 2), "Pilkada", "manual")


def test_duplicate_day_off_shows_the_form_again(client, gov_admin, government, holiday):
    client.force_login(gov_admin)
    response = client.post(
        reverse("calendars:holiday_add", args=[government.pk, 2025]),
        {"date": "2025-10-13", "name": "Hari Jadi", "kind": "regional"},
    )
    assert response.status_code == 200
    assert "This day already has a holiday with this name." in response.content.decode()
    assert Holiday.objects.count() == 1


def test_admin_archives_a_day_off(client, gov_admin, government, holiday):
    client.force_login(gov_admin)
    response = client.post(
        reverse("calendars:holiday_archive", args=[holiday.pk]), {"reason": "Batal"}
    )
    assert response.status_code == 302
    holiday.refresh_from_db()
    assert holiday.is_archived
    assert ChangeRecord.objects.get(action="archive", object_id=str(holiday.pk)).reason == "Batal"


def test_admin_syncs_and_sees_how_many(client, gov_admin, government):
    client.force_login(gov_admin)
    url = reverse("calendars:holidays_sync", args=[government.pk, 2025])
    response = client.post(url, follow=True)
    added = Holiday.objects.filter(source="package").count()
    assert added > 10
    assert f"{added} holidays added from the national list." in response.content.decode()
    response = client.post(url, follow=True)
    assert "0 holidays added from the national list." in response.content.decode()
    assert Holiday.objects.count() == added


def test_sync_of_a_year_outside_the_list_says_why(client, gov_admin, government):
    client.force_login(gov_admin)
    response = client.post(
        reverse("calendars:holidays_sync", args=[government.pk, 1900]),
        HTTP_REFERER="http://testserver" + list_url(government),
        follow=True,
    )
    assert "The national holiday list covers" in response.content.decode()
    assert not Holiday.objects.exists()


def test_admin_edits_working_hours(client, gov_admin, government):
    client.force_login(gov_admin)
    url = reverse("calendars:working_calendar_update", args=[government.pk])
    page = client.get(url).content.decode()
    assert 'value="08:00-12:00, 13:00-17:00"' in page
    response = client.post(
        url,
        {
            "working_weekdays": ["0", "1", "2", "3", "4"],
            "periods": "07.30-12.00, 13.00-16.00",
            "periods_4": "07:30-11:00, 13:30-16:30",
        },
    )
    assert response.status_code == 302
    calendar = WorkingCalendar.objects.get(government=government)
    assert calendar.periods == [["07:30", "12:00"], ["13:00", "16:00"]]
    assert calendar.weekday_periods == {"4": [["07:30", "11:00"], ["13:30", "16:30"]]}
    html = client.get(list_url(government)).content.decode()
    assert "07:30-11:00, 13:30-16:30" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"working_weekdays": ["0"], "periods": "pagi"}, "Write the hours as 08:00-12:00"),
        ({"working_weekdays": ["0"], "periods": "13:00-17:00, 08:00-12:00"}, "in order"),
        (
            {"working_weekdays": ["0"], "periods": "08:00-12:00", "periods_5": "08:00-12:00"},
            "Saturday is not a working day",
        ),
        ({"periods": "08:00-12:00"}, "This field is required."),
    ],
)
def test_bad_working_hours_are_shown_on_the_form(client, gov_admin, government, data, message):
    client.force_login(gov_admin)
    response = client.post(reverse("calendars:working_calendar_update", args=[government.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not WorkingCalendar.objects.exists()
