"""The Chinese catalogue keeps docs/glossary.md: one word per concept, full-width punctuation."""

import re
from pathlib import Path

import polib
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
HALF_WIDTH_AFTER_CHINESE = re.compile(r"[\u4e00-\u9fff][:,;()]|[(][\u4e00-\u9fff]")


def _translations():
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.obsolete:
            continue
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if text:
                yield entry.msgid, text


def test_words_the_glossary_rules_out_are_not_used():
    ruled_out = ["温馨楼道", "街道里的"]
    found = [(msgid, text) for msgid, text in _translations() if any(word in text for word in ruled_out)]
    assert not found, found


def test_steps_and_filter_buttons_have_their_own_words():
    # The buttons' words (no context; "Steps" in a dashboard figure has a context of its own).
    words = {e.msgid: e.msgstr for e in polib.pofile(str(CATALOGUE)) if not e.obsolete and not e.msgctxt}
    assert words["Steps"] == "步骤"
    assert words["Show"] == "筛选"
    assert words["Warm corridors"] == "温馨楼组"


def test_chinese_text_uses_full_width_punctuation():
    found = []
    for msgid, text in _translations():
        bare = re.sub(r"%\([a-z_]+\)[sd]|\{[^}]*\}|https?://\S+", "", text)
        if HALF_WIDTH_AFTER_CHINESE.search(bare):
            found.append((msgid, text))
    assert not found, found
