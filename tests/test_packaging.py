"""The wheel carries templates, catalogues, assets and the guide; installed, it works anywhere."""

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from statuskart.core.resources import default_templates_dir, guide_dir
from statuskart.site.engine import GUIDE, GUIDE_PAGES

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    return next(out.glob("statuskart-*.whl"))


def test_wheel_contains_templates_catalogues_and_assets(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in (ROOT / "templates").glob("*.j2"):
        assert f"statuskart/templates/{template.name}" in names
    for catalogue in ("tsb", "phv", "bup", "gravide", "shl", "scales"):
        assert f"statuskart/catalog/data/{catalogue}.yaml" in names
    for asset in (
        "iframe-worker-shim.js",
        "LICENSE.iframe-worker",
        "statuskart.css",
        "overrides/partials/search.html",
    ):
        assert f"statuskart/assets/{asset}" in names
    assert "statuskart/py.typed" in names
    for _title, page in GUIDE_PAGES:
        assert f"statuskart/brukerveiledning/{page}" in names, page


def test_checkout_uses_the_repository_templates() -> None:
    assert default_templates_dir() == ROOT / "templates"
    assert not (ROOT / "statuskart" / "templates").exists()  # would shadow templates/
    assert guide_dir() == ROOT / "docs" / "brukerveiledning"
    assert not (ROOT / "statuskart" / "brukerveiledning").exists()  # would shadow docs/


def test_installed_wheel_builds_a_site_outside_the_repository(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    # The dependencies come from the environment running the tests (a venv or the system), added
    # after the new venv's own site-packages, so the wheel installed there wins over the checkout.
    own = next(env_dir.glob("lib/python*/site-packages"))
    outer = sorted({sysconfig.get_paths()[k] for k in ("purelib", "platlib")})
    (own / "test-dependencies.pth").write_text("\n".join(outer) + "\n", encoding="utf-8")
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "-q",
            "--no-deps",
            str(wheel),
        ],
        check=True,
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    where = subprocess.run(
        [python, "-c", "import statuskart; print(statuskart.__file__)"],
        cwd=work,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(env_dir) in where  # the wheel, not the editable checkout
    cli = env_dir / "bin" / "statuskart"
    subprocess.run(
        [cli, "sample", "-o", "checklists", "--units", "3", "--rounds", "1"],
        cwd=work,
        env=clean,
        check=True,
        capture_output=True,
    )
    built = subprocess.run([cli, "build"], cwd=work, env=clean, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    assert (work / "site" / "index.html").is_file()
    assert (work / "site" / "assets" / "javascripts" / "iframe-worker-shim.js").is_file()
    for _title, page in GUIDE_PAGES:  # from the wheel: the checkout is not on the path
        assert (work / "site" / GUIDE / page.replace(".md", ".html")).is_file(), page
