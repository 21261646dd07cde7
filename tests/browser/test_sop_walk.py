"""One SOP through three people's “Tugas Saya”: the DPMPTSP Pematangsiantar's
Pengumpulan Data Kinerja (Kepala Dinas → Sekretaris → Tim SAKIP → Pemegang Data
of every Bidang → Tim SAKIP → Sekretaris → Kepala Dinas), in a real browser.

The Kepala Dinas, the Sekretaris (who also chairs the Tim SAKIP) and the
Pemegang Data of Bidang Perizinan each open their inbox, open the task and
complete it; the next person then finds the work in theirs. The SOP has no
decision step, so nothing is returned. The other three Bidang's Pemegang Data
have no login in the demo: their step 4 tasks are completed through the service.
The Kepala Dinas starts the process from the SOP's page.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from kinerja.organizations.access import UserScope
from kinerja.organizations.models import Agency
from kinerja.workflow.models import ProcessInstance, Task
from kinerja.workflow.services import task_complete
from tests.browser.support import log_in

pytestmark = pytest.mark.browser

AGENCY = "dpmptsp-pematangsiantar"
KADIS = "kadis.pematangsiantar"
SEKRETARIS = "sekretaris.pematangsiantar"
PEMEGANG_DATA = "pemegangdata.pematangsiantar"


def start_from_the_sop_page(page: Page, agency: Agency) -> ProcessInstance:
    """Fill in “Mulai proses” on the SOP's page; land on the new process's page."""
    page.goto(reverse("workflow:sop_detail", args=[agency.pk, "pengumpulan-data-kinerja"]))
    page.get_by_label("Untuk apa proses ini?").fill("Pengumpulan Data Kinerja TW I 2025")
    page.get_by_label("Tahun").fill("2025")
    page.get_by_label("Periode").select_option("TW I")
    page.get_by_test_id("process-start-submit").click()
    expect(page.get_by_test_id("process-heading")).to_contain_text("TW I 2025")
    instance = ProcessInstance.objects.get(agency=agency)
    assert page.url.endswith(reverse("workflow:process", args=[instance.pk]))
    assert (instance.year, instance.period) == (2025, "TW I")
    return instance


def complete_from_inbox(page: Page, step: int) -> None:
    """Open “Tugas Saya”, open the task of `step`, mark it done, land back in the inbox."""
    inbox = reverse("workflow:inbox")
    page.goto(inbox)
    row = page.locator(f'[data-testid="inbox-row"][data-step="{step}"]')
    expect(row).to_have_count(1)
    row.get_by_test_id("inbox-task-link").click()
    expect(page.get_by_test_id("task-heading")).to_contain_text(f"{step}")
    page.get_by_test_id("complete").click()
    page.wait_for_url(lambda url: url.endswith(inbox))
    expect(row).to_have_count(0)


def open_steps(instance: ProcessInstance) -> list[int]:
    return sorted(
        instance.tasks.filter(status=Task.Status.OPEN).values_list("step_number", flat=True)
    )


def test_one_sop_walks_through_three_inboxes(demo, new_page):
    agency = Agency.objects.get(code=AGENCY)

    kadis_page = new_page()
    log_in(kadis_page, KADIS)
    instance = start_from_the_sop_page(kadis_page, agency)
    complete_from_inbox(kadis_page, 1)
    assert open_steps(instance) == [2]

    sekretaris_page = new_page()
    log_in(sekretaris_page, SEKRETARIS)
    complete_from_inbox(sekretaris_page, 2)
    complete_from_inbox(sekretaris_page, 3)  # as the chair of the Tim SAKIP
    assert open_steps(instance) == [4, 4, 4, 4]  # one per Bidang

    pemegang_data_page = new_page()
    log_in(pemegang_data_page, PEMEGANG_DATA)
    complete_from_inbox(pemegang_data_page, 4)
    for task in instance.tasks.filter(status=Task.Status.OPEN).select_related("assignee"):
        assert task.assignee is not None and task.assignee.user_id is None
        task_complete(
            actor=UserScope(
                user_id=None,
                employee_id=task.assignee_id,
                position_ids=frozenset({task.position_id}),
            ),
            task=task,
            outcome="done",
        )
    assert open_steps(instance) == [5]

    complete_from_inbox(sekretaris_page, 5)
    complete_from_inbox(sekretaris_page, 6)
    complete_from_inbox(kadis_page, 7)

    instance.refresh_from_db()
    assert instance.status == ProcessInstance.Status.FINISHED
    kadis_page.goto(reverse("workflow:process", args=[instance.pk]))
    expect(kadis_page.get_by_test_id("process-status")).to_have_attribute("data-status", "finished")
    expect(kadis_page.get_by_test_id("timeline-row")).to_have_count(10)
