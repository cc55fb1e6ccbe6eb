"""Registry figures: measured values (NPR/NKI, BI reports) shown beside the self-assessment.

Takes: indicator files (.xlsx/.csv tables, Helsedirektoratet's NKI JSON) and the catalogues.
Hands on: ``IndicatorFile`` with ``Measurement`` rows resolved against catalogues and units
(``resolve``), and findings for every row that cannot be used. Figures never enter a score; the
model stage puts them on pages (``model.figures``).
"""
