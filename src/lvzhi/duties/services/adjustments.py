"""动态调整 (PowerAdjustment): drafted by the department or the office, reviewed by the office,
applied when the office publishes the next edition (``powers.publish``).

    state      action    by                          next
    draft      submit    drafter (department/office)  submitted
    returned   submit    drafter                      submitted
    submitted  approve   office                       approved
    submitted  return    office (with a reason)       returned
    approved   return    office (with a reason)       returned
    draft      delete    drafter                      —
    returned   delete    drafter                      —
    approved   (publish) office                       applied
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from lvzhi.core.models import ConcurrencyError
from lvzhi.core.notifications import notify

from ..models import ELEMENT_FIELDS, PowerAdjustment, PowerItem, PowerListEdition
from .common import actor, liaisons, office_users, require_change, require_office

S = PowerAdjustment.Status
K = PowerAdjustment.Kind

TRANSITIONS = {
    "submit": ({S.DRAFT, S.RETURNED}, S.SUBMITTED, "drafter"),
    "approve": ({S.SUBMITTED}, S.APPROVED, "office"),
    "return": ({S.SUBMITTED, S.APPROVED}, S.RETURNED, "office"),
}
ACTION_LABELS = {"submit": "提交审核", "approve": "同意", "return": "退回"}


def base_items(power_list):
    """Items an adjustment is checked against: the draft edition if any, else the current one."""
    edition = (
        PowerListEdition.objects.filter(power_list=power_list, status=PowerListEdition.Status.DRAFT).first()
        or PowerListEdition.objects.filter(power_list=power_list, is_current=True).first()
    )
    return PowerItem.objects.filter(edition=edition) if edition else PowerItem.objects.none()


def validate_adjustment(power_list, data, exclude_pk=None):
    """Field errors ({field: message}) of a proposed adjustment against the list as it stands."""
    errors = {}
    kind, code = data.get("kind"), (data.get("item_code") or "").strip()
    if not code:
        errors["item_code"] = "请填写职权编码。"
        return errors
    exists = base_items(power_list).filter(code=code).exists()
    pending = PowerAdjustment.objects.filter(
        power_list=power_list, item_code=code, status__in=[S.DRAFT, S.SUBMITTED, S.RETURNED, S.APPROVED]
    ).exclude(pk=exclude_pk)
    if pending.exists():
        errors["item_code"] = f"职权编码 {code} 已有一项未发布的动态调整，请先处理该调整。"
    elif kind == K.ADD and exists:
        errors["item_code"] = f"职权编码 {code} 已在清单中，增加事项请使用新的编码。"
    elif kind in (K.CANCEL, K.CHANGE) and not exists:
        errors["item_code"] = f"清单中没有职权编码为 {code} 的事项。"
    if kind in (K.ADD, K.CHANGE):
        for f in ("type", "name", "basis"):
            if not (data.get(f) or "").strip():
                errors[f] = "增加或变更事项时必填。"
    return errors


def save_adjustment(user, power_list, data, adjustment=None, expected_version=None):
    """Create a draft adjustment or edit one that is a draft or was returned."""
    with transaction.atomic():
        require_change(user, power_list)
        if adjustment is not None:
            current = PowerAdjustment.objects.select_for_update().get(pk=adjustment.pk)
            if expected_version is not None and current.version != int(expected_version):
                raise ConcurrencyError(current)
            if not current.editable:
                raise ValidationError("只有草稿或已退回的动态调整可以修改。")
        errors = validate_adjustment(power_list, data, exclude_pk=getattr(adjustment, "pk", None))
        if errors:
            raise ValidationError(errors)
        adj = adjustment or PowerAdjustment(power_list=power_list, created_by=actor(user))
        for f in ("kind", "item_code", "delegated_to", "reason", "legal_basis", "approval_doc_no", "approval_date",
                  *ELEMENT_FIELDS):
            value = data.get(f)
            setattr(adj, f, value.strip() if isinstance(value, str) else value if value is not None else "")
        if adj.approval_date == "":
            adj.approval_date = None
        if adj.kind == K.CANCEL:
            # A cancellation keeps the item's name and type for the record.
            item = base_items(power_list).filter(code=adj.item_code).first()
            for f in ("type", "name", "sub_item"):
                setattr(adj, f, getattr(item, f) if item else "")
        if adjustment is not None:
            adj.version = current.version + 1
        adj.save()
    return adj


def elements_of(power_list, code):
    """The current elements of item ``code`` (to prefill a 变更要素 form)."""
    item = base_items(power_list).filter(code=code).first()
    return item.elements() if item else None


def transition(user, adjustment, action, reason=""):
    """Run ``action`` (submit / approve / return) on an adjustment, per the table above."""
    if action not in TRANSITIONS:
        raise ValidationError("未知的操作。")
    sources, target, who = TRANSITIONS[action]
    if who == "office":
        require_office(user, "只有编办人员可以审核动态调整。")
    if action == "return" and not reason.strip():
        raise ValidationError({"reason": "退回时请填写理由。"})
    with transaction.atomic():
        adj = PowerAdjustment.objects.select_for_update().select_related("power_list__department").get(pk=adjustment.pk)
        require_change(user, adj)
        if adj.status not in sources:
            raise ValidationError(f"该调整当前为“{adj.get_status_display()}”，不能{ACTION_LABELS[action]}。")
        adj.status = target
        now = timezone.now()
        if action == "submit":
            adj.submitted_at = now
        else:
            adj.reviewed_by = actor(user)
            adj.reviewed_at = now
            adj.return_reason = reason.strip() if action == "return" else ""
        adj.version += 1
        adj.save()
    department = adj.power_list.department
    if action == "submit":
        notify(office_users(), f"{department.label}提交了权责清单动态调整待审核", str(adj), adj.get_absolute_url(),
               "动态调整")
    elif action == "return":
        notify(liaisons([department.pk]), "权责清单动态调整被退回", f"{adj}：{adj.return_reason}",
               adj.get_absolute_url(), "动态调整")
    return adj


def delete_adjustment(user, adjustment):
    with transaction.atomic():
        adj = PowerAdjustment.objects.select_for_update().get(pk=adjustment.pk)
        require_change(user, adj)
        if not adj.editable:
            raise PermissionDenied("只有草稿或已退回的动态调整可以删除。")
        adj.delete()
