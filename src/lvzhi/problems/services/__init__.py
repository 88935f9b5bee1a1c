"""Domain operations on problems: the only code that changes problem state. Pages, the API, the
``lvzhi problem`` command and tasks all call these functions.

- ``loop``: the transitions of ``states.TRANSITIONS`` (issue, acknowledge, report…, accept, reject…)
- ``problems``: finding (登记), editing and sharing problems with oversight bodies
- ``findings``: field visits, surveys and oversight clues that produce problems
- ``deadlines``: the daily reminder and escalation run
- ``analysis``: 普遍性问题 and the rectification status report
"""

from .analysis import common_problems, record_recommendation, status_report
from .base import TransitionError
from .deadlines import check_deadlines
from .findings import (
    add_finding,
    finish_inspection,
    low_scores,
    problem_from_low_score,
    register_clue,
    satisfaction,
    save_response,
)
from .loop import (
    TRANSITION_FUNCTIONS,
    accept,
    acknowledge,
    grant_extension,
    issue,
    perform,
    refuse_extension,
    reject,
    reopen,
    report_completion,
    report_progress,
    request_extension,
    submit_plan,
    withdraw,
)
from .problems import create_problem, share, unshare, update_problem

__all__ = [
    "TRANSITION_FUNCTIONS", "TransitionError", "accept", "acknowledge", "add_finding", "check_deadlines",
    "common_problems", "create_problem", "finish_inspection", "grant_extension", "issue", "low_scores", "perform",
    "problem_from_low_score", "record_recommendation", "refuse_extension", "register_clue", "reject", "reopen",
    "report_completion", "report_progress", "request_extension", "satisfaction", "save_response", "share",
    "status_report", "submit_plan", "unshare", "update_problem", "withdraw",
]
