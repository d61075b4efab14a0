"""The Arabic and Russian catalogues: complete, compiled, and covering every marked string."""

import os
import shutil
import subprocess
import sys

import polib
import pytest
from django.conf import settings

LOCALE = settings.BASE_DIR / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
# CI (.ci/run) installs gettext; elsewhere the coverage test is skipped without xgettext.
REQUIRED = os.environ.get("CI") == "true"


def catalogue(code):
    return polib.pofile(str(LOCALE / code / "LC_MESSAGES" / "django.po"))


def translations(entries):
    """{(context, msgid): msgstr or plural forms} of the non-obsolete entries."""
    return {
        (entry.msgctxt, entry.msgid): entry.msgstr_plural if entry.msgid_plural else entry.msgstr
        for entry in entries
        if not entry.obsolete and entry.msgid
    }


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(code):
    po = catalogue(code)
    assert len(po) > 300, "the catalogue holds the interface's strings"
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    assert [entry.msgid for entry in po.untranslated_entries()] == []


@pytest.mark.parametrize("code, forms", [("ar", 6), ("ru", 3)])
def test_plural_forms_are_the_languages_own(code, forms):
    po = catalogue(code)
    assert po.metadata["Plural-Forms"].startswith(f"nplurals={forms};")
    for entry in po:
        if entry.msgid_plural:
            assert len(entry.msgstr_plural) == forms and all(entry.msgstr_plural.values()), entry.msgid


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_committed_mo_file_is_compiled_from_the_current_po_file(code):
    # Compares contents, not modification times: a fresh git clone gives both files the
    # checkout time, so a stale .mo would pass a time check. Run `make compilemessages`.
    mo_path = LOCALE / code / "LC_MESSAGES" / "django.mo"
    assert mo_path.exists(), f"{mo_path} is missing: run make compilemessages"
    po = catalogue(code)
    compiled = translations(polib.mofile(str(mo_path)))
    assert compiled == translations(po.translated_entries()), f"{mo_path} is stale: run make compilemessages"


def test_the_catalogues_hold_every_string_marked_in_the_code(tmp_path):
    if not shutil.which("xgettext"):
        if REQUIRED:
            pytest.fail("CI needs gettext (xgettext) to check the catalogues")
        pytest.skip("gettext (xgettext) is not installed")
    # makemessages rewrites the catalogues it finds: run it on a copy of the sources.
    source = tmp_path / "src"
    for name in ("relations", "templates", "locale"):
        shutil.copytree(settings.BASE_DIR / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    script = (
        "import django; from django.core.management import call_command; django.setup();"
        "call_command('makemessages', locale=['ru'], add_location='file', no_wrap=True, verbosity=0)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "relations.settings"}
    subprocess.run([sys.executable, "-c", script], cwd=source, env=env, check=True)
    current = polib.pofile(str(source / "locale" / "ru" / "LC_MESSAGES" / "django.po"))
    untranslated = sorted(entry.msgid for entry in current.untranslated_entries() + current.fuzzy_entries())
    assert untranslated == [], "new strings: run make messages, translate them in locale/ar and locale/ru"
