"""mkdocs.yml is data: safe YAML, no aliases, an allow-list of keys, files only from docs/."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from statuskart.catalog.model import Catalogue
from statuskart.cli.commands import main
from statuskart.core import messages as msg
from statuskart.core.errors import ConfigError
from statuskart.pipeline.build import run_build
from statuskart.sample.checklists import write_samples
from statuskart.site.engine import CSS, NAV, site_config
from statuskart.site.settings import MAX_BYTES, USER_DIR

from .conftest import TODAY

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    return tmp_path


def write(folder: Path, text: str) -> Path:
    path = folder / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path) -> str:
    with pytest.raises(ConfigError) as info:
        site_config(path)
    return str(info.value)


# --- YAML that would run code or read the environment ------------------------------------------


def test_python_tags_are_refused_and_nothing_runs(folder: Path) -> None:
    canary = folder / "kjort"
    path = write(folder, f'site_name: !!python/object/apply:os.system ["touch {canary}"]\n')
    text = refused(path)
    assert "!!python/object/apply:os.system" in text and "linje 1" in text and str(path) in text
    assert not canary.exists()


def test_env_tag_is_refused(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEMMELIG", "passord123")
    text = refused(write(folder, "site_name: Helse\ncopyright: !ENV HEMMELIG\n"))
    assert "«!ENV»" in text and "linje 2" in text and "passord123" not in text


def test_aliases_are_refused_before_expansion(folder: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    text = refused(write(folder, bomb))
    assert "ankre og -aliaser" in text and "linje 1" in text


def test_oversized_file_is_refused(folder: Path) -> None:
    path = write(folder, "site_name: x\n" + "# fyll\n" * (MAX_BYTES // 7 + 1))
    assert refused(path) == msg.SITE_CONFIG_TOO_LARGE.format(file=path, limit=MAX_BYTES // 1024)


def test_broken_yaml_names_the_line(folder: Path) -> None:
    path = write(folder, "site_name: Helse\ntheme: [\n")
    # the list is never closed: the parser finds out at the end, on line 3
    assert refused(path) == msg.SITE_CONFIG_INVALID.format(file=path, error="linje 3")


# --- the allow-list ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yaml_text", "name"),
    [
        ("hooks:\n  - hooks.py\n", "hooks"),
        ("plugins:\n  - search\n  - macros\n", "plugins"),
        ("extra_javascript:\n  - https://example.org/a.js\n", "extra_javascript"),
        ("markdown_extensions:\n  - pymdownx.snippets\n", "markdown_extensions"),
        ("theme:\n  custom_dir: overrides\n", "theme.custom_dir"),
        ("theme:\n  language: en\n", "theme.language"),
        ("extra:\n  analytics:\n    provider: google\n    property: G-X\n", "extra.analytics"),
        ("repo_url: https://github.com/x/y\n", "repo_url"),
        ("site_url: https://example.org/\n", "site_url"),
        ("theme:\n  palette:\n    primary: teal\n    css: x\n", "theme.palette.css"),
    ],
)
def test_keys_outside_the_allow_list_are_refused_by_name(folder: Path, yaml_text, name) -> None:
    text = refused(write(folder, "site_name: Helse\n" + yaml_text))
    assert f"«{name}»" in text and "site_name" in text  # names the key and lists what is allowed


def test_hooks_file_never_runs_through_the_cli(folder: Path, runner: CliRunner) -> None:
    canary = folder / "kjort"
    (folder / "hooks.py").write_text(f"open({str(canary)!r}, 'w').close()\n", encoding="utf-8")
    write(folder, "site_name: Helse\nhooks:\n  - hooks.py\n")
    (folder / "checklists").mkdir()
    result = runner.invoke(main, ["build", "checklists", "-o", "site"])
    assert result.exit_code == 2
    assert result.stderr.startswith(msg.ERROR_PREFIX) and "«hooks»" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not canary.exists() and not (folder / "site").exists()


def test_repository_mkdocs_yml_is_accepted() -> None:
    config = site_config(ROOT / "mkdocs.yml").mkdocs
    assert config["site_name"].startswith("Statuskartlegging")
    assert config["copyright"].startswith("Egenvurderinger")
    assert config["theme"]["palette"] == {"primary": "indigo", "accent": "indigo"}
    assert config["plugins"] == ["search", "offline"] and config["nav"] == NAV


@pytest.mark.parametrize(
    ("yaml_text", "problem"),
    [
        ("site_name: Helse <b>Nord</b>\n", msg.SITE_NO_HTML),
        ('copyright: "<img src=https://sporing.example/x.gif>"\n', msg.SITE_NO_HTML),
        ("site_name: 2026-01-01\n", msg.SITE_NOT_TEXT),
        ("theme:\n  name: mkdocs\n", msg.SITE_ONLY_MATERIAL),
        ("theme: readthedocs\n", msg.SITE_ONLY_MATERIAL),
        ("theme: [material]\n", msg.SITE_NOT_A_MAPPING),
        ('theme:\n  palette:\n    primary: "red\\" onclick=\\"x"\n', msg.SITE_BAD_PALETTE),
        ("theme:\n  palette:\n    toggle:\n      icon: ../../x\n", msg.SITE_BAD_PALETTE),
        ("nav: om.md\n", msg.SITE_NOT_LIST),
    ],
)
def test_bad_values_are_refused(folder: Path, yaml_text, problem) -> None:
    assert problem in refused(write(folder, yaml_text))


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ("https://example.org/om.md", "nettadresse"),
        ("/etc/passwd.md", "absolutt sti"),
        ("../hemmelig.md", "peker ut av"),
        ("lenke/hemmelig.md", "peker ut av"),  # a symlink out of docs/
        ("finnes-ikke.md", "finnes ikke"),
        ("stil.css", "må være en .md-fil"),
    ],
)
def test_nav_paths_must_stay_inside_docs(folder: Path, entry, problem) -> None:
    (folder / "hemmelig.md").write_text("# Hemmelig\n", encoding="utf-8")
    (folder / "utenfor").mkdir()
    (folder / "utenfor/hemmelig.md").write_text("# Hemmelig\n", encoding="utf-8")
    (folder / "docs/lenke").symlink_to(folder / "utenfor")
    (folder / "docs/stil.css").write_text("h1 { color: red }\n", encoding="utf-8")
    text = refused(write(folder, f"nav:\n  - Om: {entry}\n"))
    assert problem in text and "«nav»" in text


def test_docs_dir_may_not_leave_the_settings_folder(folder: Path) -> None:
    assert "peker ut av" in refused(write(folder, "docs_dir: ../\nnav:\n  - om.md\n"))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("stil.css", "@import url('https://fonts.example/x.css');\n"),
        ("stil.css", "body { background: url(//cdn.example/bg.png) }\n"),
        ("om.md", "# Om\n\n<script>fetch('https://x.example')</script>\n"),
        ("om.md", "# Om\n\n![logo](https://cdn.example/logo.png)\n"),
        ("om.md", '# Om\n\n<img src="https://cdn.example/x.png">\n'),
    ],
)
def test_pages_and_stylesheets_that_load_remote_content_are_refused(
    folder: Path, name, content
) -> None:
    (folder / "docs" / name).write_text(content, encoding="utf-8")
    key = "extra_css" if name.endswith(".css") else "nav"
    text = refused(write(folder, f"{key}:\n  - {name}\n"))
    assert f"{name}, linje " in text and "dokumentmappen" in text


def test_allowed_keys_are_translated_into_egne(folder: Path) -> None:
    (folder / "docs/sider").mkdir()
    (folder / "docs/sider/om.md").write_text("# Om\n\nSe [kontakt](kontakt.md).\n", "utf-8")
    (folder / "docs/sider/kontakt.md").write_text("# Kontakt\n", encoding="utf-8")
    (folder / "docs/stil.css").write_text("h1 { color: teal }\n", encoding="utf-8")
    (folder / "docs/logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", "utf-8")
    path = write(
        folder,
        "site_name: Helse Nord\nsite_description: Status\nsite_author: Fagrådet\n"
        "copyright: Helse Nord RHF\ntheme:\n  name: material\n  logo: logo.svg\n"
        "  favicon: logo.svg\n  palette:\n    - scheme: default\n      primary: teal\n"
        "      toggle:\n        icon: material/brightness-7\n        name: Mørkt\n"
        "nav:\n  - Om oss:\n    - Om: sider/om.md\n    - sider/kontakt.md\n"
        "extra_css:\n  - stil.css\n",
    )
    config = site_config(path)
    mkdocs = config.mkdocs
    assert mkdocs["site_author"] == "Fagrådet" and mkdocs["theme"]["logo"] == f"{USER_DIR}/logo.svg"
    assert mkdocs["nav"][: len(NAV)] == NAV
    assert mkdocs["nav"][len(NAV) :] == [
        {"Om oss": [{"Om": f"{USER_DIR}/sider/om.md"}, {"Kontakt": f"{USER_DIR}/sider/kontakt.md"}]}
    ]
    assert mkdocs["extra_css"] == [CSS, f"{USER_DIR}/stil.css"]
    assert config.settings is not None
    assert sorted(t for _s, t in config.settings.files) == [
        f"{USER_DIR}/logo.svg",
        f"{USER_DIR}/sider/kontakt.md",
        f"{USER_DIR}/sider/om.md",
        f"{USER_DIR}/stil.css",
    ]
    assert (folder / "docs").resolve() in config.settings.sources


def test_missing_explicit_config_is_an_error_but_no_default_is_fine(
    folder: Path, runner: CliRunner
) -> None:
    (folder / "checklists").mkdir()
    result = runner.invoke(main, ["build", "checklists", "--config", "finnes-ikke.yml"])
    assert result.exit_code == 2
    assert result.stderr.strip() == msg.ERROR_PREFIX + msg.SITE_CONFIG_MISSING.format(
        file="finnes-ikke.yml"
    )


def test_output_inside_the_users_docs_folder_is_refused(folder: Path, runner: CliRunner) -> None:
    (folder / "docs/om.md").write_text("# Om\n", encoding="utf-8")
    write(folder, "nav:\n  - om.md\n")
    (folder / "checklists").mkdir()
    result = runner.invoke(main, ["build", "checklists", "-o", "docs/site"])
    assert result.exit_code == 2 and "ligger inni" in result.stderr
    assert not (folder / "docs/site").exists()


@pytest.mark.slow
def test_allowed_settings_reach_the_built_site(folder: Path, tsb: Catalogue) -> None:
    write_samples(tsb, folder / "checklists", units=3, rounds=1, seed=4)
    (folder / "docs/om.md").write_text("# Om kartleggingen\n\nLokal side.\n", encoding="utf-8")
    (folder / "docs/stil.css").write_text("h1 { color: teal }\n", encoding="utf-8")
    shutil.copyfile(ROOT / "statuskart/assets/statuskart.css", folder / "docs/ikke-brukt.css")
    (folder / "docs/logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", "utf-8")
    path = write(
        folder,
        "site_name: Helse Nord statuskart\nsite_description: Status for Helse Nord\n"
        "site_author: Fagrådet\ncopyright: Helse Nord RHF 2026\n"
        "theme:\n  logo: logo.svg\n  favicon: logo.svg\n  palette:\n    primary: teal\n"
        "nav:\n  - Om: om.md\nextra_css:\n  - stil.css\n",
    )
    site = folder / "site"
    run_build([folder / "checklists"], site, config_file=path, today=TODAY)
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "<title>" in index and "Helse Nord statuskart" in index
    assert '<meta name="description" content="Status for Helse Nord">' in index
    assert '<meta name="author" content="Fagrådet">' in index
    assert "Helse Nord RHF 2026" in index
    assert 'data-md-color-primary="teal"' in index
    assert re.search(r'<link rel="icon" href="egne/logo\.svg"', index)
    assert 'src="egne/logo.svg"' in index
    assert 'href="egne/stil.css"' in index
    assert 'href="egne/om.html"' in index  # the extra page is in the navigation
    assert "Lokal side." in (site / "egne/om.html").read_text(encoding="utf-8")
    assert not (site / "egne/ikke-brukt.css").exists()  # only named files are copied


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("---\ntitle: Om oss\n---\n# Overskrift\n", "Om oss"),
        ("Innledning\n\n# Kontakt oss #\n", "Kontakt oss"),
        ("Ingen overskrift her.\n", "Om enheten"),
        ("# <script>x</script>\n", "Om enheten"),
        ("---\ntitle: 'A & B'\n---\n# Trygg\n", "Trygg"),
    ],
)
def test_an_untitled_nav_entry_gets_the_title_mkdocs_would_give(
    tmp_path: Path, text: str, title: str
) -> None:
    from statuskart.site.settings import page_title

    page = tmp_path / "om_enheten.md"
    page.write_text(text, encoding="utf-8")
    assert page_title(page) == title
