"""An SOP's page starts a process (for the agency's planners, on the latest version) and
lists the SOP's processes under the same rule as the process page."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kinerja.core.errors import NotFound
from kinerja.organizations.access import scope_for
from kinerja.organizations.models import RoleKey, User
from kinerja.workflow import inbox_selectors, services
from kinerja.workflow.domain.engine import Outcome
from kinerja.workflow.models import ProcessInstance, SopVersion, Task
from tests.factories import staff
from tests.workflow.sop_world import (
    SmallAgency,
    complete_as_assignee,
    import_small_sop,
    open_tasks,
    scope_of,
    small_agency,
)

pytestmark = pytest.mark.django_db

CONFLICT_ID = "Proses SOP ini untuk “Data TW I 2025” sudah berjalan."


@pytest.fixture
def small(agency) -> SmallAgency:
    return small_agency(agency)


@pytest.fixture
def sop(agency, small) -> SopVersion:
    return import_small_sop(agency)


def user_of(employee) -> User:
    user = employee.user
    assert user is not None
    return user


def detail_url(version: SopVersion) -> str:
    return reverse("workflow:sop_version", args=[version.agency_id, version.code, version.version])


def start_url(version: SopVersion) -> str:
    return reverse(
        "workflow:process_start", args=[version.agency_id, version.code, version.version]
    )


def start(version: SopVersion, subject: str, *, by) -> ProcessInstance:
    return services.instance_start(actor=scope_of(by), sop=version, subject=subject, year=2025)


FORM = {"subject": "Data TW I 2025", "year": "2025", "period": "TW I"}


class TestStart:
    def test_a_planner_starts_a_process_and_lands_on_its_page(self, client, small, sop):
        client.force_login(user_of(small.sekretaris))
        page = client.get(detail_url(sop))
        assert b'data-testid="process-start-form"' in page.content
        assert page.context["start_form"].initial["year"] >= 2025

        response = client.post(start_url(sop), FORM)

        instance = ProcessInstance.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("workflow:process", args=[instance.pk])
        assert (instance.sop, instance.subject, instance.year, instance.period) == (
            sop,
            "Data TW I 2025",
            2025,
            "TW I",
        )
        assert instance.started_by == user_of(small.sekretaris)
        first = Task.objects.get(instance=instance)
        assert (first.step_number, first.status, first.assignee) == (1, "open", small.kadis)
        assert client.get(response["Location"]).status_code == 200

    def test_the_period_is_optional(self, client, small, sop):
        client.force_login(user_of(small.kadis))

        response = client.post(start_url(sop), {"subject": "PK 2025", "year": "2025"})

        assert response.status_code == 302
        assert ProcessInstance.objects.get().period == ""

    @pytest.mark.parametrize("role", [RoleKey.STAF, RoleKey.KEPALA_BIDANG, RoleKey.KASUBBAG])
    def test_others_in_the_agency_see_no_form_and_may_not_start(self, client, agency, sop, role):
        client.force_login(staff(agency=agency, role_key=role))

        page = client.get(detail_url(sop))
        response = client.post(start_url(sop), FORM)

        assert page.status_code == 200
        assert page.context["start_form"] is None
        assert b"process-start-form" not in page.content
        assert response.status_code == 403
        assert not ProcessInstance.objects.exists()

    def test_another_governments_user_gets_404(self, client, other_agency, sop):
        client.force_login(staff(agency=other_agency, role_key=RoleKey.KEPALA_DINAS))

        assert client.post(start_url(sop), FORM).status_code == 404
        assert not ProcessInstance.objects.exists()

    def test_the_government_administrator_may_start(self, client, agency, sop):
        admin = get_user_model().objects.create_user(
            "admin.pemda", administered_government=agency.government
        )
        client.force_login(admin)

        assert client.post(start_url(sop), FORM).status_code == 302
        assert ProcessInstance.objects.get().started_by == admin

    def test_the_same_subject_twice_is_refused_on_the_form_in_indonesian(self, client, small, sop):
        client.force_login(user_of(small.kadis))
        client.post(start_url(sop), FORM)

        response = client.post(start_url(sop), FORM)

        assert response.status_code == 422
        assert response.context["start_form"].non_field_errors() == [CONFLICT_ID]
        assert CONFLICT_ID in response.content.decode()
        assert ProcessInstance.objects.count() == 1
        # another period of the same subject is another process
        assert client.post(start_url(sop), FORM | {"period": "TW II"}).status_code == 302

    def test_bad_input_is_shown_by_its_field_and_starts_nothing(self, client, small, sop):
        client.force_login(user_of(small.kadis))

        blank = client.post(start_url(sop), FORM | {"subject": "  "})
        too_early = client.post(start_url(sop), FORM | {"year": "1990"})
        odd_period = client.post(start_url(sop), FORM | {"period": "TW V"})

        assert blank.status_code == too_early.status_code == odd_period.status_code == 422
        assert blank.context["start_form"].errors["subject"]
        assert too_early.context["start_form"].errors["year"] == [
            "Isikan tahun antara 2000 dan 2100."
        ]
        assert odd_period.context["start_form"].errors["period"]
        assert not ProcessInstance.objects.exists()

    def test_an_older_version_has_no_form_and_starts_nothing(self, client, agency, small, sop):
        latest = import_small_sop(agency, number="002/SOP/2025")
        client.force_login(user_of(small.kadis))

        old_page = client.get(detail_url(sop))
        response = client.post(start_url(sop), FORM)

        assert old_page.context["start_form"] is None
        assert b'data-testid="older-version"' in old_page.content
        assert response.status_code == 422
        assert response.context["start_form"].non_field_errors()
        assert not ProcessInstance.objects.exists()
        assert client.get(detail_url(latest)).context["start_form"] is not None
        assert client.post(start_url(latest), FORM).status_code == 302

    def test_get_is_not_allowed(self, client, small, sop):
        client.force_login(user_of(small.kadis))

        assert client.get(start_url(sop)).status_code == 405


def advance_to_the_units(instance: ProcessInstance) -> None:
    """Steps 1 and 2 done: the Bidang/UPT each have a step 3 task."""
    for _ in range(2):
        (task,) = open_tasks(instance)
        complete_as_assignee(task, Outcome.DONE)


def finish(instance: ProcessInstance) -> None:
    while tasks := open_tasks(instance):
        for task in tasks:
            step = task.step_number
            complete_as_assignee(task, Outcome.YES if step == 4 else Outcome.DONE)


class TestList:
    @pytest.fixture
    def processes(self, small, sop) -> dict[str, ProcessInstance]:
        """Oldest first: finished, waiting for the units, just started."""
        finished = start(sop, "Data 2024", by=small.kadis)
        finish(finished)
        at_units = start(sop, "Data TW I 2025", by=small.kadis)
        advance_to_the_units(at_units)
        return {
            "finished": finished,
            "at_units": at_units,
            "new": start(sop, "Data TW II 2025", by=small.kadis),
        }

    def test_running_processes_come_first_with_their_current_steps(
        self, client, small, sop, processes
    ):
        client.force_login(user_of(small.sekretaris))

        response = client.get(detail_url(sop))

        rows = response.context["processes"]
        assert [row.instance.subject for row in rows] == [
            "Data TW II 2025",
            "Data TW I 2025",
            "Data 2024",
        ]
        assert [row.instance.status for row in rows] == ["running", "running", "finished"]
        new, at_units, finished = (row.current_steps for row in rows)
        assert [(c.step.number, c.assignee) for c in new] == [(1, small.kadis)]
        assert [(c.step.number, len(c.tasks), c.assignee) for c in at_units] == [(3, 3, None)]
        assert finished == []
        content = response.content.decode()
        assert content.count('data-testid="process-row"') == 3
        for instance in processes.values():
            assert reverse("workflow:process", args=[instance.pk]) in content
        assert "3 tugas terbuka" in content

    def test_processes_of_every_version_are_listed(self, client, agency, small, sop, processes):
        latest = import_small_sop(agency, number="002/SOP/2025")
        newest = start(latest, "Data TW III 2025", by=small.kadis)
        client.force_login(user_of(small.kadis))

        for version in (sop, latest):
            rows = client.get(detail_url(version)).context["processes"]
            assert [row.instance for row in rows][:1] == [newest]
            assert len(rows) == 4

    def test_who_sees_which_process(self, client, agency, small, sop, processes):
        """The list follows the rule of the process page, for every user and process."""
        kabid = user_of(small.unit_heads[0])  # not a planner: a task only at step 3
        member = staff(agency=agency, role_key=RoleKey.STAF)
        admin = get_user_model().objects.create_user(
            "admin.pemda", administered_government=agency.government
        )
        expected = {
            user_of(small.kadis): set(processes.values()),
            user_of(small.sekretaris): set(processes.values()),
            kabid: {processes["finished"], processes["at_units"]},
            member: set(),
            admin: set(processes.values()),
        }
        for user, visible in expected.items():
            scope = scope_for(user)
            listed = {row.instance for row in inbox_selectors.process_list(scope=scope, sop=sop)}
            assert listed == visible, user
            for instance in processes.values():
                if instance in visible:
                    assert inbox_selectors.process_get(scope=scope, instance_id=instance.pk)
                else:
                    with pytest.raises(NotFound):
                        inbox_selectors.process_get(scope=scope, instance_id=instance.pk)

        client.force_login(member)
        page = client.get(detail_url(sop))
        assert b'data-testid="no-processes"' in page.content

    def test_another_governments_head_sees_nothing(self, agency, other_agency, sop, processes):
        outsider = staff(agency=other_agency, role_key=RoleKey.KEPALA_DINAS)

        assert inbox_selectors.process_list(scope=scope_for(outsider), sop=sop) == []

    @pytest.mark.parametrize("count", [1, 5])
    def test_the_sop_page_takes_a_constant_number_of_queries(
        self, client, small, sop, count, django_assert_max_num_queries
    ):
        for n in range(count):
            instance = start(sop, f"Data {n}", by=small.kadis)
            advance_to_the_units(instance)
        finish(start(sop, "Selesai", by=small.kadis))
        client.force_login(user_of(small.kadis))

        with django_assert_max_num_queries(10):
            response = client.get(detail_url(sop))

        assert len(response.context["processes"]) == count + 1
