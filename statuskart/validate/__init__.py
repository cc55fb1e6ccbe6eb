"""Validate stage: RawSubmission × catalogues → Submission and findings, one FileReport per file.

Takes: ReadResults from the workbook stage, the catalogues, and the register of expected units.
Hands on: ``FileReport`` (status, findings, and the ``Submission`` of interpreted answers when the
file is usable; ``model``), read in parallel with a signed cache (``intake``), and submission
tracking against the register (``expected_units``).
"""
