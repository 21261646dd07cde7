"""One SOP through three people's “Tugas Saya”: the DPMPTSP Pematangsiantar's
Pengumpulan Data Kinerja (Kepala Dinas → Sekretaris → Tim SAKIP → Pemegang Data
of every Bidang → Tim SAKIP → Sekretaris → Kepala Dinas), in a real browser.

The Kepala Dinas, the Sekretaris (who also chairs the Tim SAKIP) and the
Pemegang Data of Bidang Perizinan each open their inbox, open the task and
complete it; the next person then finds the work in theirs. The SOP has no
decision step, so nothing is returned. The other three Bidang's Pemegang Data
have no login in the demo: their step 4 tasks are completed through the service.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from kinerja.demo.loader import DEMO_PASSWORD
from kinerja.organizations.access import UserScope, scope_for
from kinerja.organizations.models import Agency, Assignment, User
from kinerja.workflow.demo import load_demo_sops
from kinerja.workflow.models import ProcessInstance, SopVersion, Task
from kinerja.workflow.services import instance_start, task_complete
from tests.browser.support import log_in

pytestmark = pytest.mark.browser

AGENCY = "dpmptsp-pematangsiantar"
KADIS = "kadis.pematangsiantar"
SEKRETARIS = "sekretaris.pematangsiantar"
PEMEGANG_DATA = "pemegangdata.pematangsiantar"


def sekretaris_login(agency: Agency) -> str:
    """The Sekretaris has no demo account: give the holder of the position one."""
    holder = (
        Assignment.objects.filter(position__agency=agency, position__code="sekretaris")
        .select_related("employee")
        .get(end_date__isnull=True)
        .employee
    )
    if holder.user is None:
        holder.user = User.objects.create_user(SEKRETARIS, password=DEMO_PASSWORD)
        holder.save(update_fields=["user"])
    return holder.user.username


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
    load_demo_sops()
    agency = Agency.objects.get(code=AGENCY)
    sop = SopVersion.objects.filter(agency=agency, code="pengumpulan-data-kinerja").latest(
        "version"
    )
    sekretaris = sekretaris_login(agency)
    instance = instance_start(
        actor=scope_for(User.objects.get(username=KADIS)),
        sop=sop,
        subject="Pengumpulan Data Kinerja TW I 2025",
        year=2025,
        period="TW I",
    )

    kadis_page = new_page()
    log_in(kadis_page, KADIS)
    complete_from_inbox(kadis_page, 1)
    assert open_steps(instance) == [2]

    sekretaris_page = new_page()
    log_in(sekretaris_page, sekretaris)
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
