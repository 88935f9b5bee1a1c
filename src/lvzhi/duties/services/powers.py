"""权责清单 operations: drafts, publication of editions, differences between editions, statistics."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from lvzhi.core.notifications import notify

from ..models import ELEMENT_FIELDS, PowerAdjustment, PowerItem, PowerList, PowerListEdition, PowerType
from . import search
from .common import actor, is_office, liaisons, require_change, require_office

# Placeholders lists use for "no basis", counted as missing in the statistics.
NO_BASIS_PLACEHOLDERS = ("无", "暂无", "/", "-", "—", "无依据")


def no_basis_q():
    return Q(basis="") | Q(basis__in=NO_BASIS_PLACEHOLDERS)


def search_items(queryset, value):
    """Items whose name, sub-item, basis or responsibilities contain the words of ``value``
    (segmented Chinese, see ``search``), annotated with ``relevance`` for ranking."""
    return search.matching(queryset, value)


ELEMENT_LABELS = {f: PowerItem._meta.get_field(f).verbose_name for f in ELEMENT_FIELDS}


def power_list_for(department, user=None):
    """The department's list, created on first use."""
    power_list = PowerList.objects.filter(department=department).first()
    if power_list is None:
        power_list = PowerList.objects.create(department=department, created_by=actor(user))
    return power_list


def current_edition(power_list):
    return PowerListEdition.objects.filter(power_list=power_list, is_current=True).first()


def draft_edition(power_list):
    return PowerListEdition.objects.filter(power_list=power_list, status=PowerListEdition.Status.DRAFT).first()


def default_label(power_list, today=None):
    """2025年版 for a first edition; 2026年第N次调整 afterwards."""
    today = today or timezone.localdate()
    published = PowerListEdition.objects.filter(power_list=power_list, status=PowerListEdition.Status.PUBLISHED)
    if not published.exists():
        return f"{today.year}年版"
    n = published.filter(published_on__year=today.year, previous__isnull=False).count() + 1
    return f"{today.year}年第{n}次调整"


def open_draft(power_list, user, label=""):
    """The list's draft edition; a new one starts as a copy of the current edition."""
    require_change(user, power_list)
    draft = draft_edition(power_list)
    if draft is not None:
        return draft
    current = current_edition(power_list)
    draft = PowerListEdition.objects.create(
        power_list=power_list, label=label or default_label(power_list), previous=current, created_by=actor(user)
    )
    if current is not None:
        copy_items(current, draft)
    return draft


def copy_items(source, target):
    """Snapshot ``source``'s items into ``target`` (a bulk copy: the items themselves do not change)."""
    PowerItem.objects.bulk_create(
        [
            PowerItem(edition=target, department_id=item.department_id, code=item.code, position=item.position,
                      created_by=item.created_by, **item.elements())
            for item in PowerItem.objects.filter(edition=source)
        ],
        batch_size=500,
    )


def discard_draft(power_list, user):
    """Delete the draft edition (the office, or the department for its own list)."""
    with transaction.atomic():
        require_change(user, power_list)
        draft = draft_edition(power_list)
        if draft is None:
            raise ValidationError("没有草稿版本。")
        draft.delete()


def publish(power_list, user, label="", published_on=None, note=""):
    """Publish a new edition: the draft (or a copy of the current edition) with every approved
    adjustment applied. Raises ValidationError listing every adjustment that cannot apply."""
    require_office(user, "只有编办人员可以发布权责清单。")
    with transaction.atomic():
        PowerList.objects.select_for_update().filter(pk=power_list.pk).first()
        current = current_edition(power_list)
        approved = list(
            PowerAdjustment.objects.filter(power_list=power_list, status=PowerAdjustment.Status.APPROVED).order_by("pk")
        )
        draft = draft_edition(power_list)
        if draft is None and not approved:
            raise ValidationError("没有可发布的内容：既没有草稿版本，也没有已同意的动态调整。")
        edition = draft or open_draft(power_list, None, label)
        errors = apply_adjustments(edition, approved, user)
        if errors:
            raise ValidationError(errors)
        if not edition.items.exists():
            raise ValidationError("新版本没有任何权责事项，不能发布。")
        if current is not None:
            current.is_current = False
            current.version += 1
            current.save()
        edition.label = label or edition.label
        edition.status = PowerListEdition.Status.PUBLISHED
        edition.is_current = True
        edition.published_on = published_on or timezone.localdate()
        edition.published_by = actor(user)
        edition.previous = current
        edition.note = note or edition.note
        edition.version += 1
        edition.save()
        for adj in approved:
            adj.status = PowerAdjustment.Status.APPLIED
            adj.applied_in = edition
            adj.version += 1
            adj.save()
    notify(
        liaisons([power_list.department_id]),
        f"{power_list.department.label}权责清单{edition.label}已发布",
        f"本次动态调整 {len(approved)} 项。" if approved else "",
        edition.get_absolute_url(),
        "权责清单",
    )
    return edition


def apply_adjustments(edition, adjustments, user):
    """Apply approved adjustments to a draft edition's items; return error messages (nothing is
    left half-applied because the caller's transaction rolls back)."""
    items = {item.code: item for item in PowerItem.objects.filter(edition=edition)}
    errors = []
    department_id = edition.power_list.department_id
    next_position = max((i.position for i in items.values()), default=0) + 1
    for adj in adjustments:
        code = adj.item_code
        where = f"动态调整“{adj}”（编码 {code}）"
        if adj.kind == PowerAdjustment.Kind.ADD:
            if code in items:
                errors.append(f"{where}：职权编码已存在，不能重复增加")
                continue
            items[code] = PowerItem.objects.create(
                edition=edition, department_id=department_id, code=code, position=next_position,
                created_by=actor(user), **adj.elements()
            )
            next_position += 1
        elif code not in items:
            errors.append(f"{where}：清单中没有该职权编码")
        elif adj.kind == PowerAdjustment.Kind.CANCEL:
            items.pop(code).delete()
        else:
            item = items[code]
            for f, value in adj.elements().items():
                setattr(item, f, value)
            item.version += 1
            item.save()
    return errors


def can_manage_list(user, power_list):
    """Whether ``user`` may import into / draft adjustments for ``power_list``."""
    return PowerList.objects.visible_to(user, "change").filter(pk=power_list.pk).exists()


# ---------------------------------------------------------------- differences between editions


@dataclass
class ItemChange:
    code: str
    name: str
    fields: list  # [(label, old, new)]
    old_pk: int = None
    new_pk: int = None


@dataclass
class EditionDiff:
    old: object
    new: object
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    changed: list = field(default_factory=list)

    @property
    def total(self):
        return len(self.added) + len(self.removed) + len(self.changed)


def diff_editions(old, new):
    """Items added, removed and changed (field by field) from edition ``old`` to edition ``new``."""
    columns = ("pk", "code", *ELEMENT_FIELDS)
    before = {r["code"]: r for r in PowerItem.objects.filter(edition=old).values(*columns)} if old else {}
    after = {r["code"]: r for r in PowerItem.objects.filter(edition=new).values(*columns)}
    diff = EditionDiff(old, new)
    types = dict(PowerType.choices)
    for code, row in after.items():
        prev = before.get(code)
        if prev is None:
            diff.added.append(row)
            continue
        fields = []
        for f in ELEMENT_FIELDS:
            if prev[f] != row[f]:
                show = (lambda v: types.get(v, v)) if f == "type" else (lambda v: v)
                fields.append((ELEMENT_LABELS[f], show(prev[f]), show(row[f])))
        if fields:
            diff.changed.append(ItemChange(code, row["name"], fields, prev["pk"], row["pk"]))
    diff.removed = [row for code, row in before.items() if code not in after]
    for rows in (diff.added, diff.removed):
        rows.sort(key=lambda r: r["code"])
    diff.changed.sort(key=lambda c: c.code)
    return diff


@dataclass
class AdjustmentCounts:
    by_kind: list  # [(label, n)] in the order of PowerAdjustment.Kind
    total: int

    def __getitem__(self, label):
        return self.total if label == "合计" else dict(self.by_kind)[label]

    @property
    def summary(self):
        """本次动态调整 N 项（增加 a 项，取消或下放 b 项，变更要素 c 项）"""
        return self.describe("本次动态调整")

    def describe(self, lead):
        parts = "，".join(f"{label} {n} 项" for label, n in self.by_kind if n)
        return f"{lead} {self.total} 项" + (f"（{parts}）" if parts else "")


def count_by_kind(adjustments):
    """A queryset of adjustments counted per type (one query)."""
    rows = dict(adjustments.values_list("kind").annotate(n=Count("pk")).order_by())
    return AdjustmentCounts([(label, rows.get(kind, 0)) for kind, label in PowerAdjustment.Kind.choices],
                            sum(rows.values()))


def adjustment_counts(edition):
    """Adjustments an edition applied, per type: the number behind "本次动态调整 N 项"."""
    return count_by_kind(PowerAdjustment.objects.filter(applied_in=edition))


# ---------------------------------------------------------------- office statistics


def current_items(user):
    """Items of current published editions that ``user`` may see."""
    return PowerItem.objects.visible_to(user).filter(edition__is_current=True)


def statistics(user, duplicate_limit=200, no_basis_limit=200):
    """Items per department and type, items without a basis, names claimed by several departments."""
    if not is_office(user):
        raise PermissionDenied("只有编办人员可以查看全市权责清单统计。")
    items = current_items(user)
    types = PowerType.choices
    table = {}
    for row in items.values("department_id", "department__code", "department__name", "type").annotate(n=Count("pk")).order_by():
        entry = table.setdefault(
            row["department_id"],
            {"id": row["department_id"], "code": row["department__code"], "name": row["department__name"],
             "counts": dict.fromkeys(dict(types), 0)},
        )
        entry["counts"][row["type"]] = row["n"]
    rows = []
    for entry in sorted(table.values(), key=lambda e: e["code"]):
        entry["cells"] = [entry["counts"].get(code, 0) for code, _ in types]
        entry["total"] = sum(entry["cells"])
        rows.append(entry)
    totals = [sum(r["cells"][i] for r in rows) for i in range(len(types))]
    no_basis = items.filter(no_basis_q()).select_related("department")
    dup_names = (
        items.values("name").annotate(departments=Count("department", distinct=True)).filter(departments__gt=1)
        .order_by("-departments", "name")
    )
    names = [r["name"] for r in dup_names[:duplicate_limit]]
    claims = {}
    for item in items.filter(name__in=names).select_related("department").order_by("name", "department__code"):
        claims.setdefault(item.name, []).append(item)
    return {
        "types": [label for _, label in types],
        "rows": rows,
        "totals": totals,
        "grand_total": sum(totals),
        "no_basis_count": no_basis.count(),
        "no_basis": list(no_basis.order_by("department__code", "code")[:no_basis_limit]),
        "duplicate_count": dup_names.count(),
        "duplicates": [(name, claims.get(name, [])) for name in names],
    }

