"""Ranking, tie policy, tie-breakers, classes and group statistics.

>>> from parindex_rules.rank import rank_results          # doctest: +SKIP
>>> table = rank_results(ruleset.compiled, cohort.units)  # doctest: +SKIP
>>> table.ranks()                                         # doctest: +SKIP
"""

from __future__ import annotations

from parindex_rules.rank.classes import Classifier
from parindex_rules.rank.cohort import entry_for, rank_results, ranking_for, tie_policy
from parindex_rules.rank.ranking import ALL, RankedUnit, RankEntry, Ranking, RankTable, TieRecord
from parindex_rules.rank.statistics import GroupStatistics, Summary
from parindex_rules.rank.ties import (
    ExactTies,
    NodeIndexTieBreaker,
    RoundedTies,
    TieBreaker,
    TiePolicy,
)

__all__ = [
    "ALL",
    "Classifier",
    "ExactTies",
    "GroupStatistics",
    "NodeIndexTieBreaker",
    "RankEntry",
    "RankTable",
    "RankedUnit",
    "Ranking",
    "RoundedTies",
    "Summary",
    "TieBreaker",
    "TiePolicy",
    "TieRecord",
    "entry_for",
    "rank_results",
    "ranking_for",
    "tie_policy",
]
