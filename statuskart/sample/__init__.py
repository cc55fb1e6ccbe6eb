"""Sample data: filled skjema, registry figures and a register for trying statuskart out.

Takes: the catalogues, a seed and a number of units.
Hands on: folders of realistic workbooks (``checklists``) and figure files (``figures``), with
optional typical mistakes, so the whole pipeline can run at national scale.
"""
