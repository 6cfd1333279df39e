"""Reads of Congress terms and of admissions against their targets (see the modules)."""

from dangbo.targets.selectors.lists import (
    TargetRow,
    TermRow,
    as_rows,
    as_target_rows,
    list_inherited_term_rows,
    list_own_terms,
    list_targets,
)
from dangbo.targets.selectors.progress import (
    TermProgress,
    YearProgress,
    compute_progress,
    judge,
    term_progress,
    verdict_label,
)
from dangbo.targets.selectors.terms import (
    get_target,
    get_term,
    get_term_and_target,
    get_term_for,
    term_applies_to,
    visible_terms,
)

__all__ = [
    "TargetRow",
    "TermProgress",
    "TermRow",
    "YearProgress",
    "as_rows",
    "as_target_rows",
    "compute_progress",
    "get_target",
    "get_term",
    "get_term_and_target",
    "get_term_for",
    "judge",
    "list_inherited_term_rows",
    "list_own_terms",
    "list_targets",
    "term_applies_to",
    "term_progress",
    "verdict_label",
    "visible_terms",
]
