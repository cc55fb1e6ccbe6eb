"""Registry figures: measured values (NPR/NKI, BI reports) shown beside the self-assessment.

Stage: indicator files → RawFigure rows (table.py for .xlsx/.csv, nki.py for Helsedirektoratet's
NKI JSON) → Measurement, resolved against the catalogues and the units in the build (resolve.py)
→ Figure rows on the HF, RHF, requirement and unit pages (compare.py). Figures are public and
never enter a score; every row that cannot be used becomes a Finding naming file and row.
"""
