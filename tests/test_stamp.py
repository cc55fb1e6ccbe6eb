"""The stamp (pathway + catalogue version): a hidden sheet, properties and names as fallback."""

from statuskart.catalog.model import Catalogue
from statuskart.pipeline.run import check_files
from statuskart.workbook import layout as L

from .conftest import TODAY, WorkbookFactory, raw_of


def _codes(path, catalogues):
    (report,) = check_files([path], catalogues, TODAY)
    return report, [f.code for f in report.findings]


def _drop_sheet(wb):
    del wb[L.STAMP_SHEET]


def _drop_names(wb):
    for name in L.STAMP_DEFINED_NAMES.values():
        del wb.defined_names[name]


def _drop_properties(wb):
    wb.custom_doc_props.props = [
        p for p in wb.custom_doc_props.props if not p.name.startswith(L.STAMP_PROPERTY_PREFIX)
    ]


def test_stamp_sheet_deleted_defined_names_used(
    filled_workbook: WorkbookFactory, catalogues: dict[str, Catalogue], tsb: Catalogue
) -> None:
    path = filled_workbook(edit=_drop_sheet)
    raw = raw_of(path)
    assert raw.stamp["catalogue_id"] == "tsb" and raw.stamp["catalogue_version"] == tsb.version
    report, codes = _codes(path, catalogues)
    assert "stamp-from-fallback" in codes and "missing-stamp" not in codes
    assert report.status != "rejected" and report.submission.catalogue_id == "tsb"
    assert report.submission.catalogue_version == tsb.version


def test_names_deleted_too_document_properties_used(
    filled_workbook: WorkbookFactory, catalogues: dict[str, Catalogue], tsb: Catalogue
) -> None:
    def drop(wb):
        _drop_sheet(wb)
        _drop_names(wb)
        for p in wb.custom_doc_props.props:  # prove the property, not the content, decides
            if p.name == L.STAMP_PROPERTY_PREFIX + "catalogue_version":
                p.value = "1999.9"

    raw = raw_of(filled_workbook(edit=drop))
    assert raw.stamp["catalogue_id"] == "tsb" and raw.stamp["catalogue_version"] == "1999.9"
    _, codes = _codes(filled_workbook(edit=drop), catalogues)
    assert "stamp-from-fallback" in codes and "catalogue-version-unknown" in codes


def test_everything_deleted_pathway_told_from_content_is_a_warning(
    filled_workbook: WorkbookFactory, catalogues: dict[str, Catalogue]
) -> None:
    def drop(wb):
        _drop_sheet(wb)
        _drop_names(wb)
        _drop_properties(wb)

    path = filled_workbook(edit=drop)
    assert raw_of(path).stamp == {}
    report, codes = _codes(path, catalogues)
    assert "missing-stamp" in codes and "stamp-from-fallback" not in codes
    assert report.status != "rejected" and report.submission.catalogue_id == "tsb"


def test_intact_stamp_sheet_wins_and_gives_no_finding(
    filled_workbook: WorkbookFactory, catalogues: dict[str, Catalogue]
) -> None:
    _report, codes = _codes(filled_workbook(), catalogues)
    assert "stamp-from-fallback" not in codes and "missing-stamp" not in codes
    assert L.STAMP_SOURCE_KEY not in raw_of(filled_workbook()).stamp
