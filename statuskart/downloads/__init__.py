"""Downloads stage: ReportModel → the files on the site's «Nedlastinger» page.

Takes: a ReportModel.
Hands on: kravstatus workbooks, zipped CSV and JSON tables with the formula guard (``export``), and
one action plan per unit (``action_plan``), written in a process of their own (``write``).
"""
