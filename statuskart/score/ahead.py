"""Skjemas scored as they arrive, while the workers still read the others.

Scoring waited for the last file to be read, because the day a skjema's frister are judged by
depends on which round is the newest (pipeline/run.py, ``judgement_days``), and only the whole
input tells that. A skjema is scored ahead by the day its round would have if it is not the
newest; at the end the score is kept only when the real day reads the same of the skjema as that
one did (``actions.day_signature``), else it is scored again. A score kept is therefore the
score the real day gives.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from statuskart.catalog.model import Catalogue
from statuskart.score.actions import day_signature
from statuskart.score.scoring import ScoringSettings, UnitScore, score_submission
from statuskart.validate.model import Submission


class ScoresAhead:
    """Scores made early by a likely day, handed out when the real day reads them the same."""

    def __init__(
        self, catalogues: Mapping[str, Catalogue], settings: ScoringSettings | None = None
    ) -> None:
        self._catalogues = catalogues
        self.settings = settings
        """The scoring settings every score here is made with."""
        self._kept: dict[int, tuple[Submission, tuple[bool, ...], UnitScore]] = {}

    def add(self, submission: Submission, day: dt.date | None) -> None:
        """Score ``submission`` now, by ``day``."""
        catalogue = self._catalogues.get(submission.catalogue_id)
        if catalogue is None:  # not scored later either; nothing to keep
            return
        score = score_submission(submission, catalogue, self.settings, day)
        self._kept[id(submission)] = (submission, day_signature(submission, day), score)

    def score(self, submission: Submission, day: dt.date | None) -> UnitScore:
        """The score of ``submission`` by ``day``: the early one if that day reads the same."""
        kept = self._kept.pop(id(submission), None)
        if kept is not None and kept[0] is submission and kept[1] == day_signature(submission, day):
            return kept[2]
        catalogue = self._catalogues[submission.catalogue_id]
        return score_submission(submission, catalogue, self.settings, day)
