"""Domain operations of the hotline module: imports, aliases, dispute grouping and decisions, and
routing. Pages, the API, commands and tasks all call these functions."""

from .aliases import add_alias, delete_alias, unmatched_names
from .decisions import DecisionOutcome, decide, dispatch_rules, problems_available
from .disputes import group_disputes, refresh_subjects
from .imports import import_paths, intake, retry_good_rows, run_upload, start_upload
from .routing import current_model, evaluate, refresh_routing, suggest, train_routing

__all__ = [
    "DecisionOutcome", "add_alias", "current_model", "decide", "delete_alias", "dispatch_rules", "evaluate",
    "group_disputes", "import_paths", "intake", "problems_available", "refresh_routing", "refresh_subjects",
    "retry_good_rows",
    "run_upload", "start_upload", "suggest", "train_routing", "unmatched_names",
]
