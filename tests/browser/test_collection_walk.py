"""The quarterly data collection on the demo, in a real browser (issue 4's scenario).

The demo's TW IV 2025 collection of the Dinas Koperasi UKM Sulawesi Tengah waits at
seed 004's step 11 (every Bidang/UPT reports). The Pemegang Data of Bidang
Kelembagaan fills in two rows (IKU.1 and the cumulative IKP.2.1, both needing
evidence), uploads the evidence and submits; the Kasubbag Program returns IKP.2.1
with a reason; the holder corrects it and submits again; the Kasubbag accepts,
the Sekretaris and the Kepala Dinas approve. The other units' worksheets go
through the same services beforehand, so the collection is complete: the
Fungsional Umum generates the recap at step 12 (it becomes that step's output),
the recap shows the corrected achievement; once the SOP's checks have run, the
Kepala Dinas sends it at step 21 with a generated Surat Pengantar (that step's
output), and BAPPEDA finds it among the recaps received.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from kinerja.collection.demo import advance_process
from kinerja.collection.evidence import evidence_add
from kinerja.collection.models import Collection, Entry, Recap, Worksheet, WorksheetRow
from kinerja.collection.review import worksheet_accept, worksheet_approve, worksheet_submit
from kinerja.collection.services import entry_record
from kinerja.measurement.domain.achievement import Polarity, compute_achievement
from kinerja.organizations.access import scope_for
from kinerja.organizations.models import User
from kinerja.workflow.models import TaskOutput
from tests.browser.support import log_in
from tests.documents.samples import pdf, upload

pytestmark = pytest.mark.browser

HOLDER = "pemegangdata.sulteng"
KASUBBAG = "kasubbag.sulteng"
SEKRETARIS = "sekretaris.sulteng"
KADIS = "kadis.sulteng"
FUNGSIONAL = "fungsional.sulteng"
BAPPEDA = "bappeda.sulteng"
UNIT = "bidang-kelembagaan"
WRONG, RIGHT = "52", "25"  # IKP.2.1 this quarter: a typo, then the examined cooperatives
LETTER_STEP = 21  # seed 004: the Kepala Dinas signs the Surat Pengantar


def scope_of(username: str):
    return scope_for(User.objects.get(username=username))


def in_indonesian(msgid: str) -> str:
    with translation.override("id"):
        return gettext(msgid)


def complete_other_worksheets(collection: Collection) -> None:
    """Every other unit reports its targets (with evidence where required) and the chain
    approves, through the services the pages call."""
    kasubbag, sekretaris, kadis = scope_of(KASUBBAG), scope_of(SEKRETARIS), scope_of(KADIS)
    for worksheet in collection.worksheets.exclude(unit__code=UNIT).select_related(
        "collection__agency", "unit__agency"
    ):
        for row in worksheet.rows.select_related("indicator", "worksheet__collection"):
            entry_record(
                actor=kasubbag,
                row=row,
                value=row.target_value if row.target_value is not None else Decimal(1),
                analysis="Sesuai rencana aksi.",
                expected_version=0,
            )
            if row.indicator.evidence_required:
                evidence_add(actor=kasubbag, row=row, uploaded=upload(pdf(), name="bukti.pdf"))
        for step, actor in (
            (worksheet_submit, kasubbag),
            (worksheet_accept, kasubbag),
            (worksheet_approve, sekretaris),
            (worksheet_approve, kadis),
        ):
            worksheet.refresh_from_db()
            step(actor=actor, worksheet=worksheet, expected_revision=worksheet.revision)


def row(page: Page, code: str):
    return page.locator(f'[data-testid="ws-row"][data-indicator="{code}"]')


def save_value(page: Page, code: str, value: str, analysis: str) -> None:
    target = row(page, code)
    target.locator('textarea[name="analysis"]').fill(analysis)
    target.locator('input[name="value"]').fill(value)
    target.locator('input[name="value"]').press("Tab")
    expect(row(page, code).get_by_test_id("ws-saved")).to_be_visible()


def attach_evidence(page: Page, code: str, name: str) -> None:
    row(page, code).locator('input[type="file"]').set_input_files(
        {"name": name, "mimeType": "application/pdf", "buffer": pdf(name.encode())}
    )
    row(page, code).get_by_role("button", name=in_indonesian("Upload")).click()
    expect(row(page, code).get_by_test_id("ws-evidence").locator("li a")).to_have_count(1)


def status_is(page: Page, status: str) -> None:
    expect(page.get_by_test_id("worksheet-status")).to_have_text(in_indonesian(status))


def test_a_quarter_is_collected_reviewed_approved_recapped_and_sent(demo, new_page):
    collection = Collection.objects.get(agency__code="dinkop-ukm-sulteng", year=2025, period="tw4")
    worksheet = Worksheet.objects.get(collection=collection, unit__code=UNIT)
    url = reverse("collection:worksheet", args=[worksheet.pk])
    complete_other_worksheets(collection)
    kabid = scope_of("kabid.sulteng")
    third = worksheet.rows.select_related("indicator", "worksheet__collection").get(
        indicator__code="IKP.2.2"
    )
    entry_record(actor=kabid, row=third, value=third.target_value, expected_version=0)

    # The data holder finds the worksheet from the collection, fills two rows, adds evidence.
    holder = new_page()
    log_in(holder, HOLDER)
    holder.goto(reverse("collection:detail", args=[collection.pk]))
    holder.get_by_role("link", name=worksheet.unit.name).click()
    holder.wait_for_url(f"**{url}")
    save_value(holder, "IKU.1", "63,5", "Koperasi yang melaksanakan RAT bertambah.")
    save_value(holder, "IKP.2.1", WRONG, "Pemeriksaan wilayah kepulauan selesai.")
    attach_evidence(holder, "IKU.1", "rekap-rat.pdf")
    attach_evidence(holder, "IKP.2.1", "laporan-pemeriksaan.pdf")
    holder.get_by_test_id("submit").click()  # queued behind the autosaves, no reload needed
    status_is(holder, "Submitted")

    # The Kasubbag Program returns IKP.2.1 with a reason at that row.
    kasubbag = new_page()
    log_in(kasubbag, KASUBBAG)
    kasubbag.goto(url)
    kasubbag.get_by_test_id("return-reason-input").fill("Periksa kembali IKP.2.1.")
    row(kasubbag, "IKP.2.1").get_by_test_id("ws-row-reason").fill(
        "Laporan pemeriksaan mencatat 25 koperasi, bukan 52."
    )
    kasubbag.get_by_test_id("return").click()
    status_is(kasubbag, "Returned")

    # The holder sees the reason at the row, corrects it and submits again.
    holder.reload()
    expect(row(holder, "IKP.2.1").get_by_test_id("ws-return-reason")).to_contain_text(
        "25 koperasi, bukan 52"
    )
    expect(row(holder, "IKU.1").get_by_test_id("ws-return-reason")).to_have_count(0)
    save_value(holder, "IKP.2.1", RIGHT, "Sesuai laporan hasil pemeriksaan.")
    holder.get_by_test_id("submit").click()
    status_is(holder, "Submitted")

    # The chain: the Kasubbag sees the correction and accepts, then the two approvals.
    kasubbag.reload()
    expect(kasubbag.get_by_test_id("review-change")).to_have_count(2)  # value, explanation
    expect(kasubbag.get_by_test_id("review-changes")).to_contain_text(RIGHT)
    kasubbag.get_by_test_id("accept").click()
    status_is(kasubbag, "Accepted")
    for username in (SEKRETARIS, KADIS):
        approver = new_page()
        log_in(approver, username)
        approver.goto(url)
        approver.get_by_test_id("approve").click()
    status_is(approver, "Approved")
    corrected = Entry.objects.filter(row__worksheet=worksheet, row__indicator__code="IKP.2.1")
    assert corrected.order_by("-version").first().value == Decimal(RIGHT)

    # Every unit has reported: step 12 is the Fungsional Umum's; the recap becomes its output.
    fungsional = new_page()
    log_in(fungsional, FUNGSIONAL)
    fungsional.goto(reverse("collection:recap", args=[collection.pk]))
    fungsional.get_by_test_id("recap-generate").click()
    expect(fungsional.get_by_test_id("recap-row")).to_have_count(1)
    recap = Recap.objects.get(collection=collection)
    assert recap.is_final
    assert TaskOutput.objects.filter(
        task__instance=collection.process, task__step_number=12, document=recap.pdf
    ).exists()
    cumulative = WorksheetRow.objects.get(worksheet=worksheet, indicator__code="IKP.2.1")
    expected = compute_achievement(
        polarity=Polarity.HIGHER_IS_BETTER,
        target=cumulative.target_value,
        realization=Decimal(RIGHT),
    )
    expect(fungsional.get_by_test_id("recap-row-IKP.2.1")).to_contain_text(expected.display())

    # The recap is checked and signed, the letter drafted and checked (steps 12-20); at
    # step 21 the Kepala Dinas sends it with the generated Surat Pengantar; BAPPEDA sees it.
    advance_process(collection.process, until_step=LETTER_STEP)
    kadis = new_page()
    log_in(kadis, KADIS)
    kadis.goto(reverse("collection:recap", args=[collection.pk]))
    kadis.get_by_test_id("recap-send").click()
    expect(kadis.get_by_test_id("recap-letter")).to_be_visible()
    recap.refresh_from_db()
    assert recap.sent_at is not None and recap.cover_letter is not None
    assert TaskOutput.objects.filter(
        task__instance=collection.process,
        task__step_number=LETTER_STEP,
        document=recap.cover_letter,
    ).exists()
    bappeda = new_page()
    log_in(bappeda, BAPPEDA)
    bappeda.goto(reverse("collection:recap_received"))
    expect(bappeda.get_by_text(collection.agency.name)).to_be_visible()
    bappeda.goto(url)
    expect(bappeda.locator("body")).not_to_contain_text("IKP.2.1")
