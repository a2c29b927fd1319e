"""``common.systemtext``: a sentence kept as its English source and parameters reads in the
active language; a label keeps its context; a broken translation never breaks a page."""

import logging

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.systemtext import Text, render, word

ACTIVE_AWARD = pgettext_lazy("award status", "Active")


def test_a_sentence_is_kept_in_english_and_read_in_the_active_language():
    with translation.override("zh-hans"):
        text = Text(_("%(actor)s: %(action)s."), actor="王敏", action=word(_("Endorse")))
    assert text.stored() == ["%(actor)s: %(action)s.", {"actor": "王敏", "action": {"t": "Endorse"}}]
    with translation.override("en"):
        assert render(text.stored()) == "王敏: Endorse."
    with translation.override("zh-hans"):
        assert render(text.stored()) == "王敏：推荐。"


def test_a_label_keeps_its_context():
    stored = Text(_("The request is now “%(state)s”."), state=word(ACTIVE_AWARD)).stored()
    assert stored[1]["state"] == {"t": "Active", "c": "award status"}
    with translation.override("zh-hans"):
        assert render(stored) == "诉求当前状态：“有效”。"  # not an account's 启用
        assert render(Text(ACTIVE_AWARD).stored()) == "有效"


def test_a_plain_line_and_a_broken_translation_still_read(monkeypatch, caplog):
    assert render("写于以前的消息") == "写于以前的消息"
    # A translation asking for a parameter the source does not give: the source text is shown.
    monkeypatch.setattr("common.systemtext.gettext", lambda msgid: "%(number)s号：%(missing)s")
    with caplog.at_level(logging.WARNING, logger="common.systemtext"):
        assert render(["Payout #%(number)s", {"number": 7}]) == "Payout #7"
    assert "Broken translation" in caplog.text
