"""The closed loop 分析 → 反馈 → 整改 → 评估 as a table: which action moves a problem from which
state to which, and who may take it. ``services/loop.py`` has one function per action; every page,
API call and command goes through those functions, which consult this table.

| action             | 中文              | from                                   | to             | by         |
|--------------------|-------------------|----------------------------------------|----------------|------------|
| issue              | 下发整改通知书    | 分析                                   | 反馈（待签收） | office     |
| acknowledge        | 签收              | 反馈                                   | 整改           | department |
| request_extension  | 申请延期          | 反馈, 整改                             | (unchanged)    | department |
| grant_extension    | 同意延期          | 反馈, 整改                             | (unchanged)    | office     |
| refuse_extension   | 不同意延期        | 反馈, 整改                             | (unchanged)    | office     |
| submit_plan        | 提交整改方案      | 整改                                   | (unchanged)    | department |
| report_progress    | 报送整改进展      | 整改                                   | (unchanged)    | department |
| report_completion  | 提交整改完成报告  | 整改                                   | 评估           | department |
| accept             | 验收通过（销号）  | 评估                                   | 已销号         | office     |
| reject             | 退回整改          | 评估                                   | 整改 (round+1) | office     |
| withdraw           | 撤回              | 分析, 反馈, 整改, 评估                 | 已撤回         | office     |
| reopen             | 重新打开          | 已销号                                 | 整改           | office     |
| reopen             | 重新打开          | 已撤回                                 | 分析           | office     |
"""

from dataclasses import dataclass

from .models import State

OFFICE = "office"
DEPARTMENT = "department"

A, F, R, E, C, W = State.ANALYSIS, State.FEEDBACK, State.RECTIFICATION, State.EVALUATION, State.CLOSED, State.WITHDRAWN


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple
    target: str | None  # None: the state does not change
    by: str  # OFFICE or DEPARTMENT
    note_required: bool = False
    files_required: bool = False
    note_label: str = "说明"


TRANSITIONS = (
    Transition("issue", "下发整改通知书", (A,), F, OFFICE),
    Transition("acknowledge", "签收", (F,), R, DEPARTMENT),
    Transition("request_extension", "申请延期", (F, R), None, DEPARTMENT, note_required=True, note_label="申请理由"),
    Transition("grant_extension", "同意延期", (F, R), None, OFFICE, note_label="审批意见"),
    Transition("refuse_extension", "不同意延期", (F, R), None, OFFICE, note_required=True, note_label="不同意的理由"),
    Transition("submit_plan", "提交整改方案", (R,), None, DEPARTMENT, note_required=True, note_label="整改方案"),
    Transition("report_progress", "报送整改进展", (R,), None, DEPARTMENT, note_required=True, note_label="进展情况"),
    Transition("report_completion", "提交整改完成报告", (R,), E, DEPARTMENT, note_required=True, files_required=True,
               note_label="整改完成情况"),
    Transition("accept", "验收通过（销号）", (E,), C, OFFICE, note_label="评估意见"),
    Transition("reject", "退回整改", (E,), R, OFFICE, note_required=True, note_label="退回理由"),
    Transition("withdraw", "撤回", (A, F, R, E), W, OFFICE, note_required=True, note_label="撤回理由"),
    Transition("reopen", "重新打开", (C,), R, OFFICE, note_required=True, note_label="重新打开的理由"),
    Transition("reopen", "重新打开", (W,), A, OFFICE, note_required=True, note_label="重新打开的理由"),
)

ACTIONS = tuple(dict.fromkeys(t.action for t in TRANSITIONS))
ACTION_LABELS = {t.action: t.label for t in TRANSITIONS}

# Timeline entries that are not transitions of the table.
EVENT_LABELS = {
    **ACTION_LABELS,
    "create": "登记问题",
    "edit": "修改问题信息",
    "share": "共享给监督机关",
    "unshare": "取消共享",
    "link": "关联对象",
    "unlink": "取消关联",
    "clue": "收到监督机关线索",
    "recommendation": "提出对策建议",
    "due_soon": "即将到期提醒",
    "due": "到期提醒",
    "escalation": "逾期督办",
}


def event_label(action):
    return EVENT_LABELS.get(action, action)


def find(action, state):
    """The transition ``action`` takes from ``state``, or None if the table does not allow it."""
    for t in TRANSITIONS:
        if t.action == action and state in t.sources:
            return t
    return None


def available(state, by):
    """Transitions a role (OFFICE or DEPARTMENT) may take from ``state``, in table order."""
    return [t for t in TRANSITIONS if state in t.sources and t.by == by]
