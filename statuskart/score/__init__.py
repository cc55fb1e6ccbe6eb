"""Score stage: Submission → UnitScore, ranked next actions, and changes between rounds.

Takes: Submissions and their catalogues.
Hands on: ``UnitScore`` (per requirement, per phase and in total, with bands), ``Action`` (what to
do next, in order), ``UnitInfo`` and round-to-round comparisons (``rounds``).
"""
