"""The reading surface both backends offer: openpyxl's Workbook and calamine_read's CalamineBook.

The parser (read.py) and the grid builder (grid.py) are written against this Protocol, not
against either library, so a backend that lacks something the parser uses fails type checking.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol


class Book(Protocol):
    """A workbook opened for reading: sheets by title and in order, defined names, close."""

    @property
    def sheetnames(self) -> list[str]:
        """Sheet titles in workbook order."""
        ...

    @property
    def worksheets(self) -> Sequence[Any]:
        """The sheets, each with a ``title`` (what ``grid.grid_of`` reads)."""
        ...

    defined_names: Any
    """Name → defined name with ``destinations`` and ``attr_text`` (openpyxl's shape)."""

    def __getitem__(self, key: str, /) -> Any:
        """The sheet titled ``key``."""
        ...

    def close(self) -> None:
        """Release the file (openpyxl keeps it open in read-only mode)."""
        ...
