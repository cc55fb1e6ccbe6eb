"""The site's zipped downloads in tests: the one file inside «<name>.csv.zip» or «.json.zip»."""

from __future__ import annotations

import zipfile
from pathlib import Path


def unzipped_bytes(path: Path) -> bytes:
    """The bytes of the single file inside a zipped download, named as the download minus «.zip»."""
    with zipfile.ZipFile(path) as archive:
        (name,) = archive.namelist()
        assert name == path.name.removesuffix(".zip"), name
        return archive.read(name)


def unzipped(path: Path) -> str:
    """That file as text (a CSV's BOM dropped)."""
    return unzipped_bytes(path).decode("utf-8-sig")


def download_csv(folder: Path, name: str) -> str:
    """The text of «<name>.csv» as shipped in ``folder``/«<name>.csv.zip»."""
    return unzipped(folder / f"{name}.csv.zip")
