"""Pages and stylesheets named in mkdocs.yml pass an allow-list (nh3, tinycss2), or the build stops.

Each payload is one an attacker would try: an event handler, a remote address spelled any way,
a CSS escape. Each is refused with the file and line; an ordinary page and stylesheet pass, and
the images and fonts they load from the docs folder are copied with them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from statuskart.core.errors import ConfigError
from statuskart.render.safe_address import Refused
from statuskart.render.safe_css import check_stylesheet
from statuskart.render.safe_html import PAGE, check_markdown
from statuskart.site.engine import site_config
from statuskart.site.settings import USER_DIR

ROOT = Path(__file__).resolve().parents[1]

PAGE_PAYLOADS = [
    # (page text, line the refusal names, words the message holds)
    ("# Om\n\n<img src=bilde.png onerror=alert(1)>\n", 3, "«onerror» på <img>"),
    ("# Om\n\n<details open ontoggle=alert(1)><summary>x</summary></details>\n", 3, "ontoggle"),
    ("# Om\n\n<input autofocus onfocus=alert(1)>\n", 3, "<input>"),
    ('# Om\n\n<svg><image href="https://e.example/b.png"/></svg>\n', 3, "<svg>"),
    ('# Om\n\n<img src="&#104;ttps://e.example/b.png">\n', 3, "https://e.example/b.png"),
    ("# Om\n\n![logo][r]\n\nTekst.\n\n[r]: https://e.example/b.png\n", 7, "https://e"),
    ("# Om\n\n![logo](//e.example/b.png)\n", 3, "//e.example"),
    ('# Om\n\n<img src="\\\\e.example\\b.png">\n', 3, "hentes utenfra"),
    ("# Om\n\n![x](data:image/svg+xml;base64,PHN2Zy8+)\n", 3, "data:"),
    ('# Om\n\n<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>\n', 3, "data:"),
    ("# Om\n\n[x](javascript:alert(1))\n", 3, "javascript:"),
    ("# Om\n\n[x](jav&#x09;ascript:alert(1))\n", 3, "lenken"),
    ("# Om\n\n<script>fetch('https://x.example')</script>\n", 3, "<script>"),
    ("# Om\n\n<iframe src=https://x.example></iframe>\n", 3, "<iframe>"),
    ("# Om\n\n![x](bilde.png){: onerror=alert(1) }\n", 3, "onerror"),
    ("# Om\n\n<x-y tabindex=1 onfocus=alert(1)>x</x-y>\n", 3, "<x-y>"),
    ("# Om\n\n<body onload=alert(1)>\n", 3, "<body>"),
    ('# Om\n\n<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>\n', 3, ""),
    ('# Om\n\n<p style="background:url(https://e.example/b.png)">x</p>\n', 3, "style"),
    ("# Om\n\n<link rel=stylesheet href=https://e.example/x.css>\n", 3, "<link>"),
    ("---\ntitle: <img src=x onerror=alert(1)>\n---\n\n# Om\n", 2, "tittelen"),
    ("template: main.html\n\n# Om\n", 1, "«template»"),
    ("# Om\n\n![x](../utenfor.png)\n", 3, "peker ut av"),
    ("# Om\n\n![x](finnes-ikke.png)\n", 3, "finnes ikke"),
]

CSS_PAYLOADS = [
    ("a { color: red }\nbody { background: image-set('https://e.example/b.png' 1x) }\n", 2),
    ("body {\n  background: u\\72l(https://e.example/b.png);\n}\n", 2),
    ("body { background: \\75 rl(//e.example/b.png) }\n", 1),
    ('@import "https://e.example/x.css";\n', 1),
    ("@\\69mport url(x.css);\n", 1),
    ("body { background: url(\\68ttps://e.example/b.png) }\n", 1),
    ('body { background: url("//e.example/b.png") }\n', 1),
    ("p {\n  a {\n    background: url(https://e.example/nested.png)\n  }\n}\n", 3),
    ("@media print {\n  p { list-style-image: url(https://e.example/b.png) }\n}\n", 2),
    ("@font-face { font-family: x; src: url(https://e.example/f.woff2) }\n", 1),
    ("body { background: url(data:image/svg+xml;base64,PHN2Zy8+) }\n", 1),
    ("body { behavior: url(x.htc) }\n", 1),
    ("body { -moz-binding: url(x.xml#x) }\n", 1),
    ("body { background: -webkit-image-set('x.png' 1x) }\n", 1),
    ("body { --bilde: 'https://e.example/b.png'; background: src(var(--bilde)) }\n", 1),
    ("body { width: expression(alert(1)) }\n", 1),
    ("body { background: url(../utenfor.png) }\n", 1),
]


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    (folder / "bilder").mkdir(parents=True)
    (folder / "bilder/kart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "bilde.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "utenfor.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return folder


def refusal(docs: Path, name: str, content: str) -> str:
    (docs / name).write_text(content, encoding="utf-8")
    key = "extra_css" if name.endswith(".css") else "nav"
    settings = docs.parent / "mkdocs.yml"
    settings.write_text(f"{key}:\n  - {name}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        site_config(settings)
    return str(info.value)


@pytest.mark.parametrize(("content", "line", "words"), PAGE_PAYLOADS)
def test_page_payloads_are_refused_with_file_and_line(docs: Path, content, line, words) -> None:
    text = refusal(docs, "om.md", content)
    assert f"om.md, linje {line} (fra «nav» i " in text, text
    assert words in text


@pytest.mark.parametrize(("content", "line"), CSS_PAYLOADS)
def test_stylesheet_payloads_are_refused_with_file_and_line(docs: Path, content, line) -> None:
    text = refusal(docs, "stil.css", content)
    assert f"stil.css, linje {line} (fra «extra_css» i " in text, text


def test_escapes_are_read_as_the_browser_reads_them(docs: Path) -> None:
    assert "«image-set()»" in refusal(docs, "a.css", "p { background: imag\\65-set('a.png') }")
    assert "«@import»" in refusal(docs, "b.css", "@\\69mport 'x.css';")
    assert "https://e.example" in refusal(
        docs, "c.css", "p { background: u\\72l(https://e.example) }"
    )


NORMAL_PAGE = """\
---
title: Om kartleggingen
---

# Om kartleggingen

Kartleggingen gjøres **hvert tertial**. Se [metoden](metode.md#skaring),
[Helsedirektoratet](https://www.helsedirektoratet.no/) eller skriv til
<a href="mailto:fag@example.no">oss</a>.

| Region | Frist |
|:-------|------:|
| Nord   | 1.3.  |
| Vest   | 15.3. |

![Kart over regionene](bilder/kart.png){ width="300" }

Skår fra 0 til 100 &ndash; se `<tabell>` i koden.

<details><summary>Mer om skåring</summary>
<p>Skåren er et <abbr title="gjennomsnitt">snitt</abbr>.</p>
</details>

!!! note "Merk"
    Tallene er enhetenes egen vurdering.

        <script>en kodeblokk i merknaden: tekst, ikke HTML</script>
"""


def test_a_normal_page_passes_and_its_image_is_copied(docs: Path) -> None:
    (docs / "om.md").write_text(NORMAL_PAGE, encoding="utf-8")
    (docs / "metode.md").write_text("# Metode\n\n## Skåring {#skaring}\n", encoding="utf-8")
    settings = docs.parent / "mkdocs.yml"
    settings.write_text("nav:\n  - Om: om.md\n  - metode.md\n", encoding="utf-8")
    config = site_config(settings)
    assert config.settings is not None
    targets = sorted(t for _s, t in config.settings.files)
    assert targets == [f"{USER_DIR}/bilder/kart.png", f"{USER_DIR}/metode.md", f"{USER_DIR}/om.md"]


def test_a_normal_stylesheet_passes_and_its_font_is_copied(docs: Path) -> None:
    (docs / "fonter").mkdir()
    (docs / "fonter/sans.woff2").write_bytes(b"wOF2")
    shipped = (ROOT / "statuskart/assets/statuskart.css").read_text(encoding="utf-8")
    own = (
        ":root { --md-primary-fg-color: #00509e; }\n"
        "@font-face { font-family: Egen; src: url('fonter/sans.woff2') format('woff2'); }\n"
        "h1 { font-family: Egen, sans-serif; color: rgb(0 80 158 / 90%); }\n"
        ".kart { background: url(bilder/kart.png) no-repeat; width: calc(100% - 2rem); }\n"
        "@media (max-width: 40em) { .kart { display: none } }\n"
    )
    (docs / "stil.css").write_text(shipped + own, encoding="utf-8")
    settings = docs.parent / "mkdocs.yml"
    settings.write_text("extra_css:\n  - stil.css\n", encoding="utf-8")
    config = site_config(settings)
    assert config.settings is not None
    assert sorted(t for _s, t in config.settings.files) == [
        f"{USER_DIR}/bilder/kart.png",
        f"{USER_DIR}/fonter/sans.woff2",
        f"{USER_DIR}/stil.css",
    ]


def test_only_images_and_fonts_may_be_loaded(docs: Path) -> None:
    (docs / "notat.txt").write_text("hemmelig", encoding="utf-8")
    text = refusal(docs, "om.md", "# Om\n\n![x](notat.txt)\n")
    assert "ikke et bilde eller en skrift" in text


def test_the_checks_refuse_without_a_site(docs: Path) -> None:
    """The functions themselves, as safe_html/safe_css expose them (no mkdocs.yml)."""
    with pytest.raises(Refused) as info:
        check_markdown("a\n\nb\n\n<img src=x onerror=alert(1)>\n", PAGE, lambda _p: None)
    assert info.value.line == 5
    with pytest.raises(Refused) as info:
        check_stylesheet("a {}\n\n@import 'x.css';\n", lambda _p: None)
    assert info.value.line == 3
