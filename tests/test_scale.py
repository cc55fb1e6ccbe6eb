"""The answer scale is data: labels, icons and colours come from the catalogue's scale."""

import html
from pathlib import Path

import yaml

from statuskart.catalog.load import load_catalog
from statuskart.core.resources import catalog_data_dir
from statuskart.pipeline.build import run_build
from statuskart.pipeline.run import check_files, load_catalogues
from statuskart.sample.checklists import write_samples

from .conftest import TODAY, submission_of


def test_a_catalogue_on_the_grad_scale_works_end_to_end(tmp_path: Path) -> None:
    data = yaml.safe_load((catalog_data_dir() / "shl.yaml").read_text(encoding="utf-8"))
    data.update(id="grad", scale="grad", title="Levevaner (grad)")
    path = tmp_path / "grad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    catalogue = load_catalog(path)
    labels = {s.label for s in catalogue.scale.steps}
    assert "I stor grad" in labels and "Implementert" not in labels

    write_samples(catalogue, tmp_path / "in", units=4, rounds=1, seed=5)
    reports = check_files([tmp_path / "in"], load_catalogues([path]), TODAY)
    codes = {f.code for r in reports for f in r.findings}
    assert "status-invalid" not in codes  # the sample wrote the scale's own labels
    used = {a.status for r in reports if r.submission for a in r.submission.answers}
    assert used - {None} <= labels

    site = tmp_path / "out" / "site"
    run_build([tmp_path / "in"], site, catalog_files=[path], today=TODAY)
    unit = next(p for p in (site / "enheter").glob("*.html") if p.name != "index.html")
    text = html.unescape(unit.read_text(encoding="utf-8"))
    assert "? I" not in text  # every step has its icon from the scale
    (shown,) = [r for r in reports if f">{submission_of(r).meta.unit}</h1>" in text]
    answered = {a.status for a in submission_of(shown).answers if a.status is not None}
    assert answered  # the sample answered this unit's rows
    steps = {s.label: s for s in catalogue.scale.steps}
    for label in answered:  # each answer shown with the scale's own icon
        assert f"{steps[label].icon} {label}" in text, label


def test_icons_and_colours_follow_the_points() -> None:
    steps = {s.label: s for s in load_catalog(catalog_data_dir() / "tsb.yaml").scale.steps}
    assert [steps[k].icon for k in ("Ikke startet", "Påbegynt", "Delvis implementert")] == [
        "✖",
        "◔",
        "◑",
    ]
    assert steps["Implementert"].icon == "✔" and steps["Ikke aktuelt"].icon == "–"
    assert steps["Implementert"].colour == "#009E73" and steps["Ikke startet"].colour == "#D55E00"
