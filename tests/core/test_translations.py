"""The Indonesian catalogue is complete, compiled, and covers every msgid in the source."""

import shutil
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

PACKAGE_DIR = Path(settings.PACKAGE_DIR)
CATALOGUE = PACKAGE_DIR / "locale" / "id" / "LC_MESSAGES" / "django.po"


def untranslated(po_path: Path) -> list[str]:
    with po_path.open("rb") as handle:
        catalogue = read_po(handle, locale="id")
    return [
        m.id if isinstance(m.id, str) else m.id[0]
        for m in catalogue
        if m.id and (m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string))
    ]


def test_catalogue_has_no_untranslated_or_fuzzy_entries():
    assert untranslated(CATALOGUE) == []


def test_compiled_catalogue_matches_the_po_file():
    def plain(value):
        if isinstance(value, bytes):  # Babel's read_mo leaves the msgctxt undecoded
            return value.decode()
        return tuple(value) if isinstance(value, list | tuple) else value

    with CATALOGUE.open("rb") as handle:
        po = {
            (plain(m.context), plain(m.id)): plain(m.string)
            for m in read_po(handle, locale="id")
            if m.id
        }
    with CATALOGUE.with_suffix(".mo").open("rb") as handle:
        mo = {(plain(m.context), plain(m.id)): plain(m.string) for m in read_mo(handle) if m.id}
    assert mo == po, "run `kinerja translations` to recompile the catalogue"


def test_every_msgid_in_the_source_is_in_the_catalogue(tmp_path, monkeypatch):
    """Extract the source again into a copy of the catalogue: nothing new may appear."""
    if not shutil.which("xgettext"):
        pytest.fail("xgettext (Debian package gettext) is needed; ./dev test installs it")
    # makemessages writes into every locale/ folder under the current directory, so it
    # runs in a copy of the package: the real catalogue is never touched.
    source = tmp_path / "kinerja"
    shutil.copytree(PACKAGE_DIR, source, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.chdir(source)
    with override_settings(LOCALE_PATHS=[source / "locale"]):
        call_command("makemessages", locale=["id"], no_obsolete=True, verbosity=0)
    missing = untranslated(source / "locale" / "id" / "LC_MESSAGES" / "django.po")
    assert missing == [], f"not translated yet (run `kinerja translations`): {missing[:20]}"


def test_default_language_is_indonesian(client, db):
    assert settings.LANGUAGE_CODE == "id"
    response = client.get("/masuk/")
    assert response.status_code == 200
    with translation.override("id"):
        assert translation.gettext("Log in") != "Log in"
    assert 'lang="id"' in response.content.decode()


def test_no_fragment_files_are_left_unmerged():
    fragments = PACKAGE_DIR / "locale" / "fragments"
    assert not fragments.exists() or not any(fragments.glob("*.po")), (
        "run `kinerja translations` to merge the fragments into the catalogue"
    )
