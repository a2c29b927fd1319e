"""Chinese reads with full-width punctuation and 年月日 dates (issue 14).

The templates hold English msgids; the Chinese is in the catalogue. So three places can put a
half-width mark after Chinese text: the catalogue itself, a literal mark written after a
``{% translate %}`` tag (the label renders in Chinese, the colon stays ASCII; a full-width one
typed there is wrong in English instead: ``{% colon %}`` follows the reader's language), and
Chinese typed straight into a template. Dates: a hard-coded numeric format such as ``date:"Y-m-d"`` shows
2026-12-03 to a Chinese reader; the locale's formats (``DATE_FORMAT``…) show 2026年12月3日.
"""

import re
from pathlib import Path

from django.conf import settings

CJK = "\u3400-\u4dbf\u4e00-\u9fff"
HALF_WIDTH_AFTER_CJK = re.compile(f"[{CJK}][:,;?!]")
TRANSLATED_THEN_MARK = re.compile(r"\{%\s*translate\s+(\"[^\"]*\"|'[^']*')[^%]*%\}\s*[:,;：，；]")
NUMERIC_DATE = re.compile(r"\|date:[\"'][^\"']*\b[Ymdnj][-/.][mdnj]")
# English msgids (their Chinese is checked in the catalogue) and comments.
MSGID_OR_COMMENT = re.compile(
    r"\{%\s*blocktranslate.*?%\}.*?\{%\s*endblocktranslate\s*%\}"
    r"|\{%\s*translate\s+(\"[^\"]*\"|'[^']*')"
    r"|\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}",
    re.S,
)

# Marks that are right as they are: none so far. Add "path: reason" here only when a
# half-width mark after Chinese truly belongs there (an example of what to type, say).
ALLOWED: dict[str, str] = {}

TEMPLATES = Path(settings.BASE_DIR) / "templates"
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def template_files():
    return sorted(p for p in TEMPLATES.rglob("*.html") if str(p.relative_to(TEMPLATES)) not in ALLOWED)


def test_no_half_width_mark_after_chinese_in_templates():
    problems = []
    for path in template_files():
        source = path.read_text(encoding="utf-8")
        for match in TRANSLATED_THEN_MARK.finditer(source):
            line = source.count("\n", 0, match.start()) + 1
            problems.append(f"{path.relative_to(TEMPLATES)}:{line}: use {{% colon %}} (or the msgid): {match.group(0)}")
        literal = MSGID_OR_COMMENT.sub("", source)
        for match in HALF_WIDTH_AFTER_CJK.finditer(literal):
            problems.append(f"{path.relative_to(TEMPLATES)}: half-width {match.group(0)!r}")
    assert not problems, "\n".join(problems)


def test_dates_in_templates_use_the_locale_format():
    problems = []
    for path in template_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if NUMERIC_DATE.search(line):
                problems.append(f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()}")
    assert not problems, "use DATE_FORMAT / SHORT_DATETIME_FORMAT (年月日):\n" + "\n".join(problems)


def catalogue_strings():
    """Each msgstr of the Chinese catalogue with its msgid (continuation lines joined)."""
    entries, field, current = [], None, {"msgid": "", "msgstr": ""}
    for raw in CATALOGUE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("msgid "):
            if current["msgstr"]:
                entries.append(current)
            current, field = {"msgid": "", "msgstr": ""}, "msgid"
            line = line[len("msgid ") :]
        elif line.startswith("msgid_plural "):
            field, line = "msgid", line[len("msgid_plural ") :]
        elif line.startswith("msgstr"):
            field, line = "msgstr", line.split(" ", 1)[1]
            current["msgstr"] += "\n"
        elif not line.startswith('"'):
            continue
        current[field] += line[1:-1]
    if current["msgstr"]:
        entries.append(current)
    return entries


def test_chinese_catalogue_uses_full_width_punctuation():
    entries = catalogue_strings()
    assert len(entries) > 500, "the catalogue was read"
    wrong = [e for e in entries if HALF_WIDTH_AFTER_CJK.search(e["msgstr"])]
    problems = [f"{e['msgid'][:60]!r} → {e['msgstr'].strip()[:60]!r}" for e in wrong]
    assert not problems, "\n".join(problems)


def test_the_scan_would_catch_what_it_is_for():
    assert TRANSLATED_THEN_MARK.search('{% translate "Theme" %}: {{ x }}')
    # A full-width colon typed after the tag is wrong in English: {% colon %} follows the reader.
    assert TRANSLATED_THEN_MARK.search('{% translate "Theme" %}：{{ x }}')
    assert not TRANSLATED_THEN_MARK.search('{% translate "Theme" %}{% colon %}{{ x }}')
    assert HALF_WIDTH_AFTER_CJK.search("主题: 楼道")
    assert not HALF_WIDTH_AFTER_CJK.search("主题：楼道")
    assert NUMERIC_DATE.search('{{ day|date:"Y-m-d" }}')
    assert not NUMERIC_DATE.search('{{ day|date:"DATE_FORMAT" }}')


def test_brackets_and_colons_follow_the_readers_language():
    from django.template import Context, Template
    from django.utils import translation

    template = Template('{% load wording %}{{ share|in_parens:"%" }}|{% colon %}')
    with translation.override("zh-hans"):
        assert template.render(Context({"share": 30})) == "（30%）|："
    with translation.override("en"):
        assert template.render(Context({"share": 30})) == " (30%)|: "
