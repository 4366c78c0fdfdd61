"""The translation catalogues: zh_Hans complete and consistent, committed .mo files current, no string forgotten.

Chinese is the first language of the UI (LANGUAGE_CODE = "zh-hans"); English is the msgids themselves, so the en
catalogue keeps empty msgstrs. After changing a translatable string:

    python manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=tests --ignore=bench --no-obsolete
    (translate the new zh_Hans entries)
    python manage.py compilemessages --ignore=.venv
"""

import ast
import re
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.utils import translation
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "locale"
LANGUAGES = ["zh_Hans", "en"]
# Same folders as the makemessages command above leaves out, plus what makemessages always skips.
SKIPPED_DIRS = {".venv", "tests", "bench", "locale", "node_modules", "__pycache__", "staticfiles", "media"}

# Function name -> positions of (context, singular, plural) among the arguments, as makemessages passes them to
# xgettext; None where the function has no such argument.
GETTEXT_FUNCTIONS = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}

# The official terms users know from the Standing Committee's documents; they must not drift.
GLOSSARY = {
    "Opinion follow-up": "审议意见跟踪督办",
    "Cases": "案件",
    "Issued": "已交办",
    "Report accepted": "已审核",
    "Closed": "办结",
    "Acknowledge receipt": "签收",
    "Submit draft for consultation": "报送征求意见稿",
    "Return report": "退回修改",
    "Accept report": "审核通过",
    "Request extension": "申请延期",
    "Reopen": "重新办理",
    "Publish": "向社会公布",
    "Verified and closed": "已销号",
    "Carried over": "持续整改",
    "Lead body": "主办单位",
    "Co-handling bodies": "协办单位",
    "Deadline": "办理时限",
    "Items": "意见事项",
    "Timeline": "办理过程",
    "Council of Chairpersons": "主任会议",
}

_PRINTF = re.compile(r"%(?:\(\w+\))?[#0 +-]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa]")
_BRACES = re.compile(r"\{\w*\}")
_STRING = r"""[uU]?[rR]?(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")"""
_TEMPLATIZED_CALL = re.compile(
    rf"\b(npgettext|pgettext|ngettext|gettext|_)\(\s*({_STRING}(?:\s*,\s*{_STRING})*)"
)


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def compiled(language: str) -> polib.MOFile:
    return polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))


def placeholders(text: str) -> Counter:
    return Counter(_PRINTF.findall(text.replace("%%", "")) + _BRACES.findall(text))


def key(entry) -> tuple:
    return entry.msgctxt or None, entry.msgid, entry.msgid_plural or None


def translation_pair(entry) -> tuple:
    """What a compiled catalogue keeps of an entry: its identity and its translation(s)."""
    if entry.msgid_plural:
        translated = tuple(sorted((int(n), text) for n, text in entry.msgstr_plural.items()))
    else:
        translated = entry.msgstr
    return (*key(entry), translated)


def source_files():
    for path in sorted(ROOT.rglob("*")):
        relative = path.relative_to(ROOT)
        if any(part in SKIPPED_DIRS or part.startswith(".") for part in relative.parts[:-1]):
            continue
        if path.is_file() and path.suffix in {".py", ".html", ".txt"}:
            yield path


def pick(arguments: list, positions: tuple) -> tuple | None:
    """(context, msgid, plural) from the literal arguments of a gettext call; None if one is not a literal."""
    picked = []
    for position in positions:
        if position is None:
            picked.append(None)
        elif position < len(arguments) and isinstance(arguments[position], str):
            picked.append(arguments[position])
        else:
            return None
    return tuple(picked)


def strings_in_python(source: str):
    """Literal msgids of gettext calls; implicit concatenation and both quote styles come out of the parser."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in GETTEXT_FUNCTIONS:
            continue
        arguments = [arg.value if isinstance(arg, ast.Constant) else None for arg in node.args]
        found = pick(arguments, GETTEXT_FUNCTIONS[name])
        if found:
            yield node.lineno, found


def strings_in_template(source: str):
    """Literal msgids of {% translate %}, {% blocktranslate %} and _("…"), turned into gettext calls by Django's own
    templatize (what makemessages does); a literal the parser cannot read is skipped."""
    code = templatize(source)
    for match in _TEMPLATIZED_CALL.finditer(code):
        try:
            arguments = list(ast.literal_eval(f"({match[2]},)"))
        except (SyntaxError, ValueError):
            continue
        found = pick(arguments, GETTEXT_FUNCTIONS[match[1]])
        if found:
            yield code.count("\n", 0, match.start()) + 1, found


def strings_in_code():
    for path in source_files():
        source = path.read_text(encoding="utf-8")
        found = strings_in_python(source) if path.suffix == ".py" else strings_in_template(source)
        for line, (context, msgid, plural) in found:
            if msgid:
                yield f"{path.relative_to(ROOT)}:{line}", (context, msgid, plural)


def test_the_chinese_catalogue_has_no_untranslated_and_no_fuzzy_entries():
    po = catalogue("zh_Hans")
    assert len(po) > 0
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    assert not po.metadata_is_fuzzy, "the header is still marked fuzzy"


def test_the_chinese_catalogue_has_one_plural_form_and_fills_it():
    po = catalogue("zh_Hans")
    assert po.metadata["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"
    for entry in po:
        if entry.msgid_plural:
            assert set(entry.msgstr_plural) == {0}, entry.msgid
            assert entry.msgstr_plural[0], entry.msgid


def test_every_placeholder_of_a_msgid_appears_in_its_translation():
    wrong = []
    for entry in catalogue("zh_Hans").translated_entries():
        if entry.msgid_plural:
            expected = placeholders(entry.msgid_plural)
            translations = entry.msgstr_plural.values()
        else:
            expected = placeholders(entry.msgid)
            translations = [entry.msgstr]
        wrong += [(entry.msgid, text) for text in translations if placeholders(text) != expected]
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_file_matches_its_po_file(language):
    po, mo = catalogue(language), compiled(language)
    assert {translation_pair(entry) for entry in mo} == {translation_pair(e) for e in po.translated_entries()}, (
        f"locale/{language}/LC_MESSAGES/django.mo is stale: run compilemessages")
    for header in ("Language", "Plural-Forms"):
        assert mo.metadata.get(header) == po.metadata.get(header), header


def test_the_english_catalogue_lists_the_same_msgids_as_the_chinese_one():
    assert {key(entry) for entry in catalogue("en")} == {key(entry) for entry in catalogue("zh_Hans")}


def test_every_string_marked_for_translation_in_the_code_is_in_the_chinese_catalogue():
    known = {key(entry) for entry in catalogue("zh_Hans")}
    found = list(strings_in_code())
    assert len(found) > 100  # the scan does find the strings
    missing = sorted(f"{where}: {msgid!r}" for where, msgid in found if msgid not in known)
    assert missing == [], "run makemessages and translate the new strings"


def test_the_scan_reads_concatenated_literals_both_quote_styles_and_template_tags():
    python = 'x = _("one "\n      "two")\ny = gettext_lazy(\'three\')\nz = pgettext_lazy("ctx", "four")\nw = _(name)\n'
    assert [found for _, found in strings_in_python(python)] == [
        (None, "one two", None), (None, "three", None), ("ctx", "four", None)]
    template = ("{% load i18n %}{% translate 'five' %} {% translate \"six\" context \"c\" %}"
                "{% blocktranslate count n=k %}{{ n }} case{% plural %}{{ n }} cases{% endblocktranslate %}")
    assert [found for _, found in strings_in_template(template)] == [
        (None, "five", None), ("c", "six", None), (None, "%(n)s case", "%(n)s cases")]


@pytest.mark.parametrize(("msgid", "official"), GLOSSARY.items())
def test_the_interface_uses_the_official_chinese_terms(msgid, official):
    with translation.override("zh-hans"):
        assert translation.gettext(msgid) == official
