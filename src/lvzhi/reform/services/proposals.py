"""机构编制事项动议 operations: drafting with changes and evidence, the flow
草稿 → 编办审核 → 编委决定（同意 / 不同意）→ 实施, and carrying out, which writes the changes into
new versions of the 三定规定 (the old versions are kept as superseded)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from lvzhi.core.roles import Role
from lvzhi.core.scoping import CHANGE, VIEW, get_scope
from lvzhi.org.models import Department, Mandate, StaffingQuota
from lvzhi.org.services import save_mandate

from ..analysis.process import normal
from ..models import STAFFING_KEYS, Proposal, ProposalChange
from .common import bump, invalid, lock, office_staff, tell, users_with_roles

State, Target, Action = Proposal.State, ProposalChange.Target, ProposalChange.Action
STAFF_LABELS = dict(STAFFING_KEYS)
LEADER_KEYS = {"leader_head", "leader_deputy", "leader_other"}

# action: (states it starts from, state it leads to, who may do it, label)
TRANSITIONS = {
    "submit": ((State.DRAFT,), State.REVIEW, "drafter", "提交编办审核"),
    "return": ((State.REVIEW, State.DECISION), State.DRAFT, "office", "退回修改"),
    "forward": ((State.REVIEW,), State.DECISION, "office", "报请编委决定"),
    "approve": ((State.DECISION,), State.APPROVED, "decider", "登记编委同意"),
    "reject": ((State.DECISION,), State.REJECTED, "decider", "登记编委不同意"),
    "carry_out": ((State.APPROVED,), State.CARRIED_OUT, "office", "实施并更新三定规定"),
}


def may(user, proposal, action):
    """Whether ``user`` may take ``action`` on ``proposal`` now (for showing buttons)."""
    starts, _, who, _ = TRANSITIONS[action]
    scope = get_scope(user)
    if proposal.state not in starts:
        return False
    if who == "office":
        return scope.is_office
    if who == "decider":
        return scope.is_office or scope.is_leader
    return scope.is_office or proposal.department_id in scope.department_ids


def may_edit(user, proposal):
    scope = get_scope(user)
    if proposal.state == State.DRAFT:
        return scope.is_office or proposal.department_id in scope.department_ids
    return proposal.state == State.REVIEW and scope.is_office


def lock_editable(user, proposal, expected_version=None):
    locked = lock(proposal, user, expected_version=expected_version)
    if not may_edit(user, locked):
        raise invalid("该动议当前不能修改（草稿可由起草方修改，审核中只能由编办修改）。")
    return locked


def save_proposal(user, data, proposal=None, expected_version=None):
    """Draft a proposal or change its texts. A department drafts only for its own department."""
    scope = get_scope(user)
    fields = {k: data[k] for k in ("title", "background", "reason", "doc_no", "signer") if k in data}
    with transaction.atomic():
        if proposal is None:
            department = data["department"]
            if not scope.is_office and department.pk not in scope.department_ids:
                raise PermissionDenied("部门只能为本部门提出动议。")
            origin = Proposal.Origin.OFFICE if scope.is_office else Proposal.Origin.DEPARTMENT
            return Proposal.objects.create(department=department, origin=origin, created_by=user, **fields)
        return bump(lock_editable(user, proposal, expected_version), **fields)


# ---------------------------------------------------------------------------------------------
# Changes, checked against the current mandates as they are applied one after the other

class MandateDraft:
    """A department's current mandate as lists that changes edit, then saved as a new version."""

    def __init__(self, department):
        self.department = department
        self.mandate = (
            Mandate.objects.filter(department=department, is_current=True)
            .prefetch_related("duties", "units", "boundaries__others").first()
        )
        m = self.mandate
        self.duties = [[d.number, d.text] for d in m.duties.all()] if m else []
        self.units = [[u.name, u.duties] for u in m.units.all()] if m else []
        quota = StaffingQuota.objects.filter(mandate=m).first() if m else None
        self.staffing = {k: getattr(quota, k, None) for k, _ in STAFFING_KEYS}

    def duty(self, number):
        return next((d for d in self.duties if d[0] == number), None)

    def unit(self, name):
        return next((u for u in self.units if normal(u[0]) == normal(name)), None)

    def add_duty(self, text):
        # Keep 完成…交办的其他任务 last, where every 三定规定 puts it.
        last = self.duties[-1][1] if self.duties else ""
        at = len(self.duties) - 1 if "交办的其他任务" in last else len(self.duties)
        self.duties.insert(at, [None, text])

    def save(self, user, proposal):
        header = {
            "title": self.mandate.title, "doc_no": proposal.decision_doc_no, "issued": timezone.localdate(),
            "note": f"根据机构编制事项动议《{proposal.title}》调整" + (
                f"（{proposal.decision_doc_no}）" if proposal.decision_doc_no else ""),
        }
        clauses = [(c.topic, c.text, list(c.others.all())) for c in self.mandate.boundaries.all()]
        return save_mandate(
            self.department, user=user, header=header, duties=[text for _, text in self.duties],
            staffing=self.staffing, clauses=clauses, units=[tuple(u) for u in self.units], supersede=True,
        )


def _apply(change, drafts, where):
    """Apply one change to the drafts (keyed by department id); raise ValidationError if it cannot."""
    def fail(message):
        raise ValidationError(f"{where}：{message}")

    own = drafts[change.proposal.department_id]
    if own.mandate is None:
        fail(f"{own.department.name}没有现行三定规定")
    target = None
    if change.action == Action.MOVE:
        if change.to_department_id is None or change.to_department_id == own.department.pk:
            fail("请选择划入的其他部门")
        if change.to_department_id not in drafts:
            drafts[change.to_department_id] = MandateDraft(change.to_department)
        target = drafts[change.to_department_id]
        if target.mandate is None:
            fail(f"{target.department.name}没有现行三定规定，无法划入")
    if change.target == Target.DUTY:
        if change.action == Action.ADD:
            if not change.text.strip():
                fail("请填写增加的职责内容")
            own.add_duty(change.text.strip())
            return
        duty = own.duty(change.duty_number)
        if duty is None:
            fail(f"现行三定规定没有第{change.duty_number}项主要职责（或该项已被前面的调整变动）")
        if change.action == Action.CONVERT:
            if not change.text.strip():
                fail("请填写调整后的职责内容")
            duty[:] = [None, change.text.strip()]
            return
        own.duties.remove(duty)
        if change.action == Action.MOVE:
            target.add_duty(duty[1])
        return
    if change.target == Target.UNIT:
        name = change.unit_name.strip()
        if not name:
            fail("请填写内设机构名称")
        unit = own.unit(name)
        if change.action == Action.ADD:
            if unit is not None:
                fail(f"已有内设机构“{name}”")
            own.units.append([name, change.text.strip()])
            return
        if unit is None:
            fail(f"现行三定规定没有内设机构“{name}”")
        if change.action == Action.REMOVE:
            own.units.remove(unit)
        elif change.action == Action.MOVE:
            if target.unit(name) is not None:
                fail(f"{target.department.name}已有内设机构“{name}”")
            own.units.remove(unit)
            target.units.append(unit)
        else:
            new_name = change.new_name.strip() or unit[0]
            if normal(new_name) != normal(unit[0]) and own.unit(new_name) is not None:
                fail(f"已有内设机构“{new_name}”")
            if new_name == unit[0] and not change.text.strip():
                fail("请填写调整后的名称或职责")
            unit[0], unit[1] = new_name, change.text.strip() or unit[1]
        return
    key = change.staff_type
    if key not in STAFF_LABELS:
        fail("请选择编制类别")
    if not change.amount:
        fail("数量应为正整数")
    have = own.staffing.get(key) or 0
    if change.action != Action.ADD and change.amount > have:
        fail(f"{STAFF_LABELS[key]}现有核定数 {have} 名，不足{change.amount}名")
    if change.action == Action.ADD:
        own.staffing[key] = have + change.amount
        return
    own.staffing[key] = have - change.amount
    if change.action == Action.MOVE:
        target.staffing[key] = (target.staffing.get(key) or 0) + change.amount
    elif change.action == Action.CONVERT:
        to = change.to_type
        if to not in STAFF_LABELS or to == key or (to in LEADER_KEYS) != (key in LEADER_KEYS):
            fail("编制只能在行政、事业、工勤编制之间调整，领导职数只能在正职、副职、其他之间调整")
        own.staffing[to] = (own.staffing.get(to) or 0) + change.amount


def apply_changes(proposal, changes):
    """The drafts of every department the changes touch, after applying them in order."""
    drafts = {proposal.department_id: MandateDraft(proposal.department)}
    for i, change in enumerate(changes, 1):
        change.proposal = proposal
        _apply(change, drafts, f"第{i}项调整（{change.describe()}）")
    return drafts


CHANGE_FIELDS = ("target", "action", "duty_number", "unit_name", "text", "new_name", "staff_type", "to_type", "amount",
                 "to_department")


def add_change(user, proposal, data):
    with transaction.atomic():
        locked = lock_editable(user, proposal)
        change = ProposalChange(proposal=locked, created_by=user, **{k: data.get(k) or _blank(k) for k in CHANGE_FIELDS})
        if change.to_department_id and not Department.objects.filter(pk=change.to_department_id).exists():
            raise invalid("划入部门不存在。", "to_department")
        existing = list(locked.changes.select_related("to_department"))
        apply_changes(locked, existing + [change])
        change.position = len(existing) + 1
        change.save()
        bump(locked)
    return change


def _blank(field):
    return None if field in ("duty_number", "amount", "to_department") else ""


def delete_change(user, change):
    with transaction.atomic():
        proposal = lock_editable(user, change.proposal)
        lock(change, user).delete()
        bump(proposal)


# ---------------------------------------------------------------------------------------------
# The flow

def perform(user, proposal, action, note="", doc_no="", expected_version=None):
    """Take ``action`` (a key of TRANSITIONS) on ``proposal``; returns the proposal."""
    if action not in TRANSITIONS:
        raise invalid("未知的操作。")
    starts, to, who, label = TRANSITIONS[action]
    scope = get_scope(user)
    with transaction.atomic():
        # Leaders are read-only everywhere else: deciding is the one thing they record.
        locked = lock(proposal, user, VIEW if who == "decider" else CHANGE, expected_version)
        if not may(user, locked, action):
            if locked.state not in starts:
                raise invalid(f"动议当前状态为“{locked.get_state_display()}”，不能{label}。")
            raise PermissionDenied(f"您无权{label}。")
        now = timezone.now()
        fields = {"state": to}
        if action == "submit":
            if not locked.changes.exists():
                raise invalid("请至少列出一项调整事项后再提交。")
            fields["submitted_at"] = now
        elif action in ("return", "forward"):
            if action == "return" and not note.strip():
                raise invalid("请填写退回理由。")
            fields.update(reviewed_by=user, reviewed_at=now, review_note=note.strip())
        elif action in ("approve", "reject"):
            fields.update(decided_by=user, decided_at=now, decision_note=note.strip(), decision_doc_no=doc_no.strip())
        elif action == "carry_out":
            if doc_no.strip():
                fields["decision_doc_no"] = doc_no.strip()
            locked.decision_doc_no = fields.get("decision_doc_no", locked.decision_doc_no)
            changes = list(locked.changes.select_related("to_department"))
            drafts = apply_changes(locked, changes)
            mandates = [draft.save(user, locked) for draft in drafts.values()]
            locked.mandates.set(mandates)
            fields["carried_out_at"] = now
        bump(locked, **fields)
        _announce(locked, action, label, scope)
    return locked


def _announce(proposal, action, label, scope):
    url = proposal.get_absolute_url()
    title = f"机构编制事项动议“{proposal.title}”：{label}"
    liaisons = users_with_roles(Role.DEPARTMENT, department=proposal.department)
    if action == "submit":
        tell(office_staff(), title, url)
    elif action == "forward":
        tell(users_with_roles(Role.LEADER), f"机构编制事项动议“{proposal.title}”待编委决定", url)
    elif action == "return":
        tell([proposal.created_by] + liaisons, title, url, proposal.review_note)
    else:
        tell([proposal.created_by] + liaisons + (office_staff() if not scope.is_office else []), title, url)


def todo_counts(scope):
    """Proposals waiting for ``scope``, by state ("returned": drafts sent back to a department)."""
    counts = {}
    if scope.is_office or scope.is_leader:
        states = [State.REVIEW, State.DECISION, State.APPROVED] if scope.is_office else [State.DECISION]
        rows = Proposal.objects.filter(state__in=states).values("state").annotate(n=Count("pk")).order_by()
        counts.update({row["state"]: row["n"] for row in rows})
    if scope.department_ids and not scope.is_office:
        counts["returned"] = Proposal.objects.filter(
            state=State.DRAFT, department__in=scope.department_ids, reviewed_at__isnull=False
        ).count()
    return counts
