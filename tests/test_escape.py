"""The escaping boundary, character by character: what every printed value becomes."""

from __future__ import annotations

import pytest

from statuskart.render.escape import MD_SPECIAL, escape_text


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("Enhet A", "Enhet A"),
        ("<script>", "&#60;script&#62;"),
        ("[lenke](javascript:x)", "&#91;lenke&#93;&#40;javascript:x&#41;"),
        ("*fet* _kursiv_ `kode`", "&#42;fet&#42; &#95;kursiv&#95; &#96;kode&#96;"),
        ("- punkt", "&#45; punkt"),  # a leading non-letter never starts a list
        ("# tittel", "&#35; tittel"),
        ("1. punkt", "1&#46; punkt"),  # nor does «1.»
        ("linje 1\r\nlinje 2\u2028tre", "linje 1&#10;linje 2&#10;tre"),
        ("null\x00tegn\x85", "nulltegn"),
        ("Tromsø & Alta", "Tromsø &#38; Alta"),
        ("", ""),
    ],
)
def test_typed_text_becomes_inert_page_text(typed: str, printed: str) -> None:
    assert str(escape_text(typed)) == printed


def test_every_special_character_becomes_a_reference_anywhere_in_a_line() -> None:
    for char in MD_SPECIAL:
        assert str(escape_text(f"a{char}b")) == f"a&#{ord(char)};b"
    assert str(escape_text("a\nb", line_break="<br>")) == "a<br>b"


def test_the_shortcut_for_plain_text_changes_nothing_escaping_would() -> None:
    """escape_text prints plain text as it is; the full escaping must agree on every string."""
    import random

    from statuskart.render.escape import _escape_lines

    alphabet = "aZ9ø .,:;-%@/\t\n\r\x00\x07\x85\u2028" + "".join(MD_SPECIAL)
    rng = random.Random(7)
    strings = ["".join(rng.choices(alphabet, k=rng.randint(0, 12))) for _ in range(20_000)]
    strings += ["12. mai", "3.5", "Avd. 2", "a\tb", "Enhet\u00a0Nord", "2026-T1", "Ålesund"]
    for text in strings:
        for line_break in ("&#10;", "<br>"):
            expected = str(_escape_lines(text, line_break)) if text else ""
            assert str(escape_text(text, line_break=line_break)) == expected, repr(text)


def test_search_index_text_is_element_content_safe() -> None:
    from statuskart.render.escape import index_text

    assert index_text('<img src=x onerror=alert(1)> "sitat" & co') == (
        '&lt;img src=x onerror=alert(1)&gt; "sitat" &amp; co'
    )
    assert index_text("Linje1\nLinje2\x00\u2028tre") == "Linje1 Linje2 tre"
