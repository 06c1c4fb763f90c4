"""The pack's template markup and prose filters: kinds of paragraph, inline runs, escaping data."""

from __future__ import annotations

from datetime import date

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.errors import TemplateError
from engine.pack.markup import add_runs, french_spacing, parse, write
from engine.pack.prose import escape, french_list, long_date, ordinal


def test_lines_are_grouped_by_kind_and_blank_lines_end_a_paragraph() -> None:
    markup = parse("@signet Délibération\n# A\n# B\n\ntexte\nsuite\n- un\n- deux\n"
                   "| cadre\n|| a || b\n[[graphique]]\n")
    assert [(b.kind, b.lines) for b in markup.blocks] == [
        ("title", ("A", "B")), ("text", ("texte", "suite")), ("bullet", ("un",)), ("bullet", ("deux",)),
        ("box", ("cadre",)), ("table", ("a || b",)), ("insert", ("graphique",)),
    ]
    assert markup.settings == {"signet": "Délibération"}


def test_unknown_setting_and_unknown_insert_are_template_errors() -> None:
    with pytest.raises(TemplateError, match="@inconnu"):
        parse("@inconnu valeur", "modele.j2")
    with pytest.raises(TemplateError, match=r"\[\[tableau\]\] inconnue"):
        write(Document(), parse("[[tableau]]"), {}, "modele.j2")


def test_inline_bold_superscript_and_page_fields() -> None:
    paragraph = Document().add_paragraph()
    add_runs(paragraph, "**Vu** la 2^{ème} page {PAGE}")
    runs = [(r.text, r.bold, r.font.superscript) for r in paragraph.runs]
    assert runs[:3] == [("Vu", True, None), (" la 2", None, None), ("ème", None, True)]
    assert 'w:instr="PAGE"' in paragraph._p.xml


def test_escaped_data_is_printed_literally() -> None:
    name = "Beta **&** Fils <Nord> [[x]] ^{y} {PAGE} \\ fin"
    paragraph = Document().add_paragraph()
    add_runs(paragraph, escape(name))
    assert paragraph.text == name
    assert "fldSimple" not in paragraph._p.xml


def test_french_spacing_keeps_signs_with_their_words() -> None:
    assert french_spacing("« Délégation » ; DECIDE :") == "«\u00a0Délégation\u00a0»\u00a0; DECIDE\u00a0:"


def test_dates_ordinals_and_lists_in_french() -> None:
    assert long_date(date(2025, 7, 1)) == "1^{er} juillet 2025"
    assert long_date(date(2026, 5, 26)) == "26 mai 2026"
    assert ordinal(2) == "2^{ème}"
    assert french_list([2026, 2027]) == "2026 et 2027"
    assert french_list(["a", "b", "c"]) == "a, b et c"


def _runs_char_by_char(paragraph, text: str, bold: bool = False) -> None:
    """The reference: `add_runs` as it read the text, one character at a time."""
    from engine.pack.markup import _closing, _field_at, _unescape, add_field

    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            paragraph.add_run(french_spacing("".join(buffer))).bold = bold or None
            buffer.clear()

    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            buffer.append(text[i + 1])
            i += 2
        elif text.startswith("**", i):
            flush()
            bold, i = not bold, i + 2
        elif text.startswith("^{", i):
            flush()
            end = _closing(text, i + 2)
            run = paragraph.add_run(_unescape(text[i + 2:end]))
            run.font.superscript, run.bold = True, bold or None
            i = end + 1
        elif (name := _field_at(text, i)) is not None:
            flush()
            add_field(paragraph, name)
            i += len(name) + 2
        else:
            buffer.append(text[i])
            i += 1
    flush()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", " b", "«", " :", "\\", "*", "**", "^", "^{", "}", "{", "{PAGE}",
                                 "{NUMPAGES}", "{PAGE", "é", "\\*"]), max_size=14).map("".join),
       st.booleans())
def test_runs_read_by_chunks_are_those_read_char_by_char(text: str, bold: bool) -> None:
    fast, reference = Document().add_paragraph(), Document().add_paragraph()
    add_runs(fast, text, bold)
    _runs_char_by_char(reference, text, bold)
    assert fast._p.xml == reference._p.xml
