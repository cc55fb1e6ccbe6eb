"""Command line: parses options, calls the library, prints bokmål.

Takes: the user's command line.
Hands on: calls into ``pipeline``, ``workbook`` and ``sample``, and prints their results and
findings (``output``) and progress (``progress``); no pipeline logic lives here.
"""
