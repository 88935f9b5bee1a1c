"""责任认定: the office decides a dispute subject — lead and supporting departments and the basis
it rests on. The decision can create or update a matter's duty point (through the duties app),
opens a problem of category 部门间职责边界不清 when the problems app is installed, tells the
departments involved, and becomes a dispatch rule for the hotline."""

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.notifications import notify
from lvzhi.core.roles import Role
from lvzhi.duties.services import matters as matter_services
from lvzhi.org import services as org_services

from ..models import Dispute, DisputeDecision, TicketReturn
from .common import actor, require_office

PROBLEM_TYPE = "C3-02"  # 部门间存在推诿扯皮、退单争议
PROBLEM_CATEGORY = "部门间职责边界不清"


@dataclass
class DecisionOutcome:
    decision: DisputeDecision
    notes: list = field(default_factory=list)


def problems_available():
    return apps.is_installed("lvzhi.problems")


def _problem_type():
    from lvzhi.problems.models import ProblemType

    current = ProblemType.objects.filter(category__taxonomy__is_current=True)
    return current.filter(code=PROBLEM_TYPE).first() or current.filter(category__name=PROBLEM_CATEGORY).first()


def _open_problem(user, dispute, decision, returning):
    from lvzhi.problems import services as problem_services

    kind = _problem_type()
    related = list({*returning, *decision.support.all()} - {decision.lead})
    description = (f"12345热线工单“{dispute.title}”（{dispute.number}）共 {dispute.ticket_count} 件，被退单 "
                   f"{dispute.return_count} 次，涉及{'、'.join(d.label for d in returning) or '多个部门'}。"
                   f"编办认定由{decision.lead.label}牵头办理。认定理由：{decision.reasoning}")
    problem = problem_services.create_problem(
        by=user, title=f"12345退单争议：{dispute.title}"[:200], description=description, department=decision.lead,
        source="hotline", type=kind, related=related, policy_basis=decision.basis_summary,
        matter=decision.duty_point.link.matter if decision.duty_point_id else dispute.matter,
        duty_point=decision.duty_point or dispute.duty_point,
        boundary_clause=decision.basis_clause, mandate_duty=decision.basis_duty,
    )
    return problem


def _save_point(user, lead, support, basis, basis_duty, basis_clause, point_action, link, point, point_text):
    values = {"lead": lead, "basis": basis, "basis_duty": basis_duty, "basis_clause": basis_clause}
    if point_action == "create":
        if link is None or not point_text.strip():
            raise ValidationError({"point_text": "新增职责颗粒点需要选择环节并填写颗粒点内容。"})
        values["text"] = point_text.strip()
        return matter_services.save_point(user, link, values, support)
    if point_action == "update":
        if point is None:
            raise ValidationError({"point": "请选择要更新的职责颗粒点。"})
        if point_text.strip():
            values["text"] = point_text.strip()
        return matter_services.save_point(user, point.link, values, support, point=point)
    return None


def decide(user, dispute, *, lead, support=(), reasoning, basis_duty=None, basis_clause=None, basis_point=None,
           basis_text="", keywords="", point_action="none", link=None, point=None, point_text="", open_problem=True):
    """Record the office's responsibility decision on ``dispute``; returns a ``DecisionOutcome``."""
    require_office(user, "认定争议事项的责任部门")
    support = [d for d in support if d.pk != lead.pk]
    if not (basis_duty or basis_clause or basis_point or basis_text.strip()):
        raise ValidationError({"basis_text": "请至少引用一项依据：三定职责、职责分工条款、职责颗粒点或法律法规条文。"})
    if not reasoning.strip():
        raise ValidationError({"reasoning": "请填写认定理由。"})
    notes = []
    with transaction.atomic():
        org_services.require_change(user, dispute)
        dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
        DisputeDecision.objects.filter(dispute=dispute, is_current=True).update(is_current=False)
        decision = DisputeDecision.objects.create(
            dispute=dispute, lead=lead, basis_duty=basis_duty, basis_clause=basis_clause, basis_point=basis_point,
            basis_text=basis_text.strip(), reasoning=reasoning.strip(), keywords=(keywords or dispute.keywords)[:200],
            decided_by=actor(user), decided_on=timezone.localdate(), created_by=actor(user),
        )
        decision.support.set(support)
        saved = _save_point(user, lead, support, decision.basis_summary, basis_duty, basis_clause, point_action,
                            link, point, point_text)
        if saved is not None:
            decision.duty_point = saved
            decision.save(update_fields=["duty_point"])
            dispute.duty_point, dispute.matter = saved, saved.link.matter
            notes.append(f"已{'新增' if point_action == 'create' else '更新'}职责边界清单“{saved.link.matter.name}·"
                         f"{saved.link.name}”的职责颗粒点。")
        dispute.state = Dispute.State.DECIDED
        dispute.version += 1
        dispute.save()
        returning = list({r.from_department for r in TicketReturn._base_manager.filter(
            ticket__dispute=dispute, from_department__isnull=False).select_related("from_department")})
        if open_problem and problems_available():
            problem = _open_problem(user, dispute, decision, returning)
            decision.problem_id = problem.pk
            decision.save(update_fields=["problem_id"])
            notes.append(f"已登记问题 {problem.number}（{PROBLEM_CATEGORY}）。")
        elif open_problem:
            notes.append("问题管理模块未启用，未登记问题。")
        _tell(dispute, decision, returning)
    return DecisionOutcome(decision, notes)


def _tell(dispute, decision, returning):
    departments = {decision.lead.pk, *(d.pk for d in decision.support.all()), *(d.pk for d in returning)}
    users = get_user_model().objects.filter(
        is_active=True, role_assignments__role=Role.DEPARTMENT, role_assignments__department_id__in=departments,
    ).distinct()
    support = "、".join(d.label for d in decision.support.all())
    body = f"牵头部门：{decision.lead.label}" + (f"；配合部门：{support}" if support else "") + \
        f"。依据：{decision.basis_summary}"
    notify(list(users), f"12345退单争议事项已认定：{dispute.title}", body, reverse("hotline:dispute", args=[dispute.pk]),
           kind="hotline")


def dispatch_rules(user):
    """The current decisions the user may see, as dispatch rules (newest first)."""
    return (DisputeDecision.objects.visible_to(user).filter(is_current=True)
            .select_related("dispute", "lead", "duty_point__link__matter", "basis_duty__mandate__department",
                            "basis_clause__mandate__department", "basis_point__link__matter")
            .prefetch_related("support").order_by("-decided_on", "-pk"))
