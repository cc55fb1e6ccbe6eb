"""Render stage: ReportModel → Markdown pages for MkDocs, through Jinja templates.

A user's own template folder renders in a sandbox; the shipped templates alone do not.

Takes: a ReportModel, and the user's own template folders (untrusted: ``template_env``).
Hands on: Markdown files in a docs folder, the unit search entries, and the escaping and
sanitising rules (``escape``, ``safe_html``, ``safe_css``, ``safe_address``) that the site stage
applies to the user's own pages too.
"""
