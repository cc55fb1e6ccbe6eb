"""Report model stage: FileReports + UnitScores (+ figures) → ReportModel.

Takes: the validate stage's FileReports, the score stage's UnitScores, the indicators' files and
the audience a build is for.
Hands on: ``ReportModel`` (``views``) — units, HFs, RHFs, requirements, comparisons and figures,
with an audience's redactions already applied — and ``facts``, the derived facts pages and
downloads both show. No rendering, no I/O.
"""
