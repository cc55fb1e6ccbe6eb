"""Page templates are foreign code: they render in a sandbox, and what they print is checked.

A ``--templates`` folder may lie on a shared drive. Escapes from the sandbox, mutation, file access
and symlinks out of the folder are each one bokmål line naming the template file; a user
template's output passes the page allow-list; a copy of the shipped templates changes nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from jinja2.sandbox import SandboxedEnvironment

from statuskart.catalog.model import Catalogue
from statuskart.cli.commands import main
from statuskart.core import messages as msg
from statuskart.core.errors import ConfigError
from statuskart.core.resources import default_templates_dir
from statuskart.model.views import ReportModel
from statuskart.pipeline.run import render_docs
from statuskart.render.pages import environment, render_pages, template_errors
from statuskart.render.template_env import SandboxEnvironment
from statuskart.sample.checklists import write_samples

from .conftest import TODAY


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, tsb: Catalogue) -> Path:
    folder = tmp_path_factory.mktemp("sandbox") / "checklists"
    write_samples(tsb, folder, units=3, rounds=1, seed=5)
    return folder


@pytest.fixture(scope="module")
def model(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> ReportModel:
    docs = tmp_path_factory.mktemp("docs")
    report_model = render_docs([sample], docs, build_date=TODAY, workers=1).model
    return report_model


def user_template(folder: Path, text: str, name: str = "overview.md.j2") -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(model, tmp_path: Path, maler: Path) -> str:
    with pytest.raises(ConfigError) as info:
        render_pages(model, tmp_path / "docs", template_dirs=[maler])
    return str(info.value)


ESCAPES = [
    "{{ cycler.__init__.__globals__.os.popen('touch SENTINEL').read() }}",
    "{{ joiner.__init__.__globals__['os'].system('touch SENTINEL') }}",
    "{{ lipsum.__globals__['os'].popen('touch SENTINEL').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ '{0.__class__.__init__.__globals__}'.format(cycler) }}",
    "{{ model.__class__.__init__.__globals__ }}",
    "{{ (model.units|first).__init__.__globals__ }}",
    "{% set seen = [] %}{{ seen.append(1) }}",
    "{% set d = {} %}{{ d.update(a=1) }}",
]


@pytest.mark.parametrize("payload", ESCAPES)
def test_sandbox_escapes_are_one_line_naming_file_and_line(
    model: ReportModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, payload
) -> None:
    monkeypatch.chdir(tmp_path)
    path = user_template(tmp_path / "maler", f"# Oversikt\n\n{payload}\n")
    text = refused(model, tmp_path, tmp_path / "maler")
    assert text.startswith(f"Sidemalen {path}, linje 3, prøver å bruke "), text
    assert "sandkasse" in text
    assert not (tmp_path / "SENTINEL").exists()


def test_only_a_user_folder_brings_the_sandbox(tmp_path: Path) -> None:
    """The shipped templates alone are the package's own code; any user folder is foreign."""
    (tmp_path / "maler").mkdir()
    assert isinstance(environment([tmp_path / "maler"]), SandboxEnvironment)
    assert not isinstance(environment(), SandboxedEnvironment)


def test_paths_modules_and_classes_are_closed(tmp_path: Path) -> None:
    (tmp_path / "maler").mkdir()
    env = environment([tmp_path / "maler"])
    secret = tmp_path / "hemmelig.txt"
    secret.write_text("passord", encoding="utf-8")
    for source in (
        "{{ p.read_text() }}",
        "{{ p.write_text('x') }}",
        "{{ p.parent.joinpath('hemmelig.txt').open().read() }}",
        "{{ m.rmtree('/tmp') }}",
    ):
        with pytest.raises(ConfigError, match="sandkasse"), template_errors("test"):
            env.from_string(source).render(p=secret, m=shutil, c=Path)
    with pytest.raises(ConfigError, match="sandkasse"), template_errors("test"):
        env.from_string("{{ c('/etc/passwd') }}").render(c=Path)
    assert env.from_string("{{ p.name }}").render(p=secret) == "hemmelig.txt"
    assert secret.read_text(encoding="utf-8") == "passord"


def test_a_symlink_out_of_the_template_folder_is_refused(
    model: ReportModel, tmp_path: Path
) -> None:
    secret = tmp_path / "privat" / "id_rsa"
    secret.parent.mkdir()
    secret.write_text("-----BEGIN PRIVATE KEY-----", encoding="utf-8")
    maler = tmp_path / "maler"
    user_template(maler, '# Oversikt\n\n{% include "nokkel.md.j2" %}\n')
    (maler / "nokkel.md.j2").symlink_to(secret)
    text = refused(model, tmp_path, maler)
    assert "«nokkel.md.j2»" in text and "peker ut av malmappen" in text
    assert not list((tmp_path / "docs").rglob("index.md"))


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        ("<script>alert(1)</script>", "<script>"),
        ("<img src=x.png onerror=alert(1)>", "«onerror» på <img>"),
        ('<img src="https://e.example/b.png">', "https://e.example/b.png"),
        ('<img src="&#104;ttps://e.example/b.png">', "https://e.example/b.png"),
        ("![b][r]\n\n[r]: //e.example/b.png", "//e.example"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ('<input type="image" src="https://e.example/b.png">', "image"),
        ('<svg><image href="https://e.example/b.png"/></svg>', "<image>"),
        ('<div style="background:url(https://e.example/b.png)">x</div>', "style"),
        ("{{ '<img src=x onerror=alert(1)>'|safe }}", "onerror"),
    ],
)
def test_user_template_output_passes_the_page_allow_list(
    model: ReportModel, tmp_path: Path, payload, words
) -> None:
    path = user_template(tmp_path / "maler", f"# Oversikt\n\n{payload}\n")
    text = refused(model, tmp_path, tmp_path / "maler")
    assert text.startswith(f"Sidemalen {path} (brukt for index.md): "), text
    assert words in text


def test_an_included_partial_is_named(model: ReportModel, tmp_path: Path) -> None:
    maler = tmp_path / "maler"
    user_template(maler, '# Oversikt\n\n{% include "_egen.md.j2" %}\n')
    path = user_template(maler, "<span onclick=alert(1)>x</span>\n", name="_egen.md.j2")
    text = refused(model, tmp_path, maler)
    assert str(path) in text and "onclick" in text


def test_a_copy_of_the_shipped_templates_changes_nothing(
    model: ReportModel, tmp_path: Path
) -> None:
    """The same pages from the sandbox (a user folder) as from the plain environment (none)."""
    maler = tmp_path / "maler"
    shutil.copytree(default_templates_dir(), maler)
    ours = render_pages(model, tmp_path / "ours").written
    theirs = render_pages(model, tmp_path / "theirs", template_dirs=[maler]).written
    assert len(ours) == len(theirs) > 10
    for a, b in zip(sorted(ours), sorted(theirs), strict=True):
        assert a.read_text(encoding="utf-8") == b.read_text(encoding="utf-8"), a.name


def test_a_runtime_error_in_a_template_names_file_and_line(
    model: ReportModel, tmp_path: Path
) -> None:
    for payload, words in (
        ("{{ 1/0 }}", "deling på null"),
        ("{{ range(10**9)|list }}", "for stor"),
    ):
        path = user_template(tmp_path / "maler", f"# Oversikt\n\n\n{payload}\n")
        text = refused(model, tmp_path, tmp_path / "maler")
        assert text.startswith(f"Sidemalen {path}, linje 4, stoppet da overview.md.j2"), text
        assert words in text


def test_cli_escape_is_one_line_and_writes_no_site(
    runner: CliRunner, sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(sample, tmp_path / "checklists")
    user_template(
        tmp_path / "maler",
        "# Oversikt\n{{ cycler.__init__.__globals__.os.popen('touch SENTINEL').read() }}\n",
    )
    result = runner.invoke(main, ["build", "checklists", "-o", "site", "--templates", "maler"])
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(msg.ERROR_PREFIX + "Sidemalen "), lines
    assert "overview.md.j2, linje 2" in lines[0] and "«__init__»" in lines[0]
    assert not (tmp_path / "site").exists() and not (tmp_path / "SENTINEL").exists()
