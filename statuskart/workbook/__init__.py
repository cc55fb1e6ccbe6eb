"""Workbook stage: writes the blank skjema, and reads filled ones back cell by cell.

Takes: a Catalogue (to write a skjema) or a spreadsheet file (.xlsx, .ods, .xls) from a user.
Hands on: the skjema file (``write``), and ``RawSubmission`` — every value as typed, with its sheet
and cell, uninterpreted (``read``, ``raw``); a file that cannot be read is a ReadResult with
findings. Also writes annotated copies of checked workbooks (``annotate``).
"""
