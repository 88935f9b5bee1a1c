"""待办 on the 工作台: proposals to review, decide or carry out, and drafts sent back."""

from django.urls import reverse

from lvzhi.core.workbench import TodoItem

from ..models import Proposal
from .proposals import todo_counts

State = Proposal.State
WORDING = {
    State.REVIEW: "{n} 项机构编制事项动议待编办审核",
    State.DECISION: "{n} 项机构编制事项动议待编委决定",
    State.APPROVED: "{n} 项编委已同意的机构编制事项动议待实施",
    "returned": "{n} 项机构编制事项动议被退回，请修改后重新提交",
}


def proposal_todos(user, scope):
    items = []
    for state, n in todo_counts(scope).items():
        if n:
            query = "draft" if state == "returned" else state
            items.append(TodoItem(WORDING[state].format(n=n), reverse("reform:proposals") + f"?state={query}",
                                  "机构编制事项动议"))
    return items
