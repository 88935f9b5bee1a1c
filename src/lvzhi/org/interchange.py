"""The organisation file, ``format: lvzhi.org/1`` (shared/design/interchange.md §1).

Reading is two steps: ``validate`` collects every error (file, record, field, in Chinese) without
touching the database; ``apply`` writes everything in one transaction, matched on ``code``, saving
only what changed so a second import of the same file changes nothing. Other apps add top-level
sections (``matters``) through ``register_section``.
"""

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone

from .models import (
    BoundaryClause,
    Department,
    InternalUnit,
    Mandate,
    MandateDuty,
    Region,
    StaffingActual,
    StaffingQuota,
)

FORMAT = "lvzhi.org/1"
CODE_RE = re.compile(r"^[A-Za-z0-9_-]{2,32}$")
TOP_KEYS = {"format", "version", "description", "region", "departments"}
DEPARTMENT_KEYS = {"code", "name", "short_name", "kind", "category", "parent", "assessed", "sanding", "actual_staff"}
SANDING_KEYS = {"title", "doc_no", "issued", "duties", "boundaries", "units", "staffing"}
STAFF_KEYS = ("administrative", "public_institution", "service")
LEADER_KEYS = ("head", "deputy", "other")
LEVELS = [c for c, _ in Region.Level.choices]
KINDS = [c for c, _ in Department.Kind.choices]
CATEGORIES = [c for c, _ in Department.Category.choices]

_sections = {}


def register_section(key, handler):
    """``handler`` has ``validate(value, ctx)``, ``apply(value, ctx)`` and ``export()``."""
    _sections[key] = handler


class OrgFileError(Exception):
    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class Report:
    counts: dict = field(default_factory=dict)

    def add(self, kind, outcome, n=1):
        bucket = self.counts.setdefault(kind, {"created": 0, "updated": 0, "unchanged": 0, "deleted": 0})
        bucket[outcome] += n

    @property
    def changed(self):
        return any(b["created"] or b["updated"] or b["deleted"] for b in self.counts.values())

    def lines(self):
        labels = {"created": "新增", "updated": "更新", "unchanged": "未变", "deleted": "删除"}
        return [
            f"{kind}：" + "，".join(f"{labels[k]} {v}" for k, v in bucket.items() if v or k != "deleted")
            for kind, bucket in self.counts.items()
        ]


class Context:
    """Shared state of one validation/import: the file name, codes known, and collected errors."""

    def __init__(self, filename, data):
        self.filename = filename
        self.data = data
        self.errors = []
        self.file_codes = set()
        self.db_codes = None
        self.user = None
        self.report = Report()
        self.departments = {}

    def error(self, record, field_name, message):
        where = f"文件 {self.filename}：{record}"
        if field_name:
            where += f"，字段“{field_name}”"
        self.errors.append(f"{where}：{message}")

    def known_code(self, code):
        if code in self.file_codes:
            return True
        if self.db_codes is None:
            self.db_codes = set(Department._base_manager.values_list("code", flat=True))
        return code in self.db_codes

    def check_ref(self, record, field_name, code):
        if not isinstance(code, str) or not code:
            self.error(record, field_name, f"部门编码应为文本，实际为“{code}”")
        elif not self.known_code(code):
            self.error(record, field_name, f"引用的部门编码“{code}”既不在本文件中，也不在系统中")

    def department(self, code):
        if code not in self.departments:
            self.departments[code] = Department._base_manager.get(code=code)
        return self.departments[code]


def parse(content, filename):
    """Bytes or text → data; syntax and encoding errors are reported as OrgFileError."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise OrgFileError([f"文件 {filename}：不是 UTF-8 编码的文本文件，组织机构文件须为 UTF-8 编码的 YAML 或 JSON"])
    try:
        if str(filename).lower().endswith(".json"):
            return json.loads(content)
        return yaml.safe_load(content)
    except json.JSONDecodeError as exc:
        raise OrgFileError([f"文件 {filename}：第{exc.lineno}行第{exc.colno}列 JSON 格式错误：{exc.msg}"])
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行第{mark.column + 1}列" if mark else ""
        raise OrgFileError([f"文件 {filename}：{where} YAML 格式错误：{getattr(exc, 'problem', exc)}"])


# ---------------------------------------------------------------- validation helpers


def _text(ctx, record, obj, key, required=False):
    value = obj.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            ctx.error(record, key, "缺少必填字段")
        return None
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        ctx.error(record, key, "应为文本")
        return None
    return str(value).strip()


def _choice(ctx, record, obj, key, choices, required=True):
    value = _text(ctx, record, obj, key, required)
    if value is not None and value not in choices:
        ctx.error(record, key, f"取值“{value}”不在允许范围（{'、'.join(choices)}）内")
    return value


def _count(ctx, record, key, value):
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        ctx.error(record, key, f"应为非负整数，实际为“{value}”")
    elif value < 0:
        ctx.error(record, key, f"应为非负整数，实际为 {value}")


def _date(ctx, record, key, value):
    if value is None or isinstance(value, dt.date):
        return
    if isinstance(value, str):
        try:
            dt.date.fromisoformat(value.strip())
            return
        except ValueError:
            pass
    ctx.error(record, key, f"日期“{value}”无法识别，应为 YYYY-MM-DD 格式")


def _as_date(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def _unknown_keys(ctx, record, obj, allowed):
    for key in obj:
        if key not in allowed:
            ctx.error(record, key, f"未知字段（允许的字段：{'、'.join(sorted(allowed))}）")


def _mapping(ctx, record, value, what):
    if not isinstance(value, dict):
        ctx.error(record, None, f"{what}应为键值结构")
        return False
    return True


def _list(ctx, record, key, value):
    if value is None:
        return []
    if not isinstance(value, list):
        ctx.error(record, key, "应为列表")
        return []
    return value


def validate(data, filename):
    """Return a Context with every error found; nothing is written."""
    ctx = Context(filename, data)
    if not isinstance(data, dict):
        ctx.error("文件顶层", None, "应为键值结构（含 format、departments 等）")
        return ctx
    fmt = data.get("format")
    if fmt != FORMAT:
        ctx.error("文件顶层", "format", f"未知的格式“{fmt}”，应为 {FORMAT}")
        return ctx
    _unknown_keys(ctx, "文件顶层", data, TOP_KEYS | set(_sections))
    region = data.get("region")
    if region is not None and _mapping(ctx, "region", region, "region "):
        _unknown_keys(ctx, "region", region, {"name", "level"})
        _text(ctx, "region", region, "name", required=True)
        _choice(ctx, "region", region, "level", LEVELS, required=False)

    departments = _list(ctx, "文件顶层", "departments", data.get("departments"))
    seen = {}
    for i, dep in enumerate(departments, 1):
        if isinstance(dep, dict) and isinstance(dep.get("code"), str):
            code = dep["code"].strip()
            if code in seen:
                ctx.error(f"departments 第{i}条（{code}）", "code", f"部门编码重复（与第{seen[code]}条相同）")
            else:
                seen[code] = i
    ctx.file_codes = set(seen)
    parents = {}
    for i, dep in enumerate(departments, 1):
        record = f"departments 第{i}条"
        if not _mapping(ctx, record, dep, "部门"):
            continue
        code = _text(ctx, record, dep, "code", required=True)
        if code:
            record = f"departments 第{i}条（{code}）"
            if not CODE_RE.match(code):
                ctx.error(record, "code", "部门编码只能由 2–32 位字母、数字、下划线或连字符组成")
        _unknown_keys(ctx, record, dep, DEPARTMENT_KEYS)
        _text(ctx, record, dep, "name", required=True)
        _text(ctx, record, dep, "short_name")
        _choice(ctx, record, dep, "kind", KINDS)
        _choice(ctx, record, dep, "category", CATEGORIES)
        if dep.get("assessed") is not None and not isinstance(dep.get("assessed"), bool):
            ctx.error(record, "assessed", f"应为 true 或 false，实际为“{dep.get('assessed')}”")
        parent = dep.get("parent")
        if parent is not None:
            ctx.check_ref(record, "parent", parent)
            if parent == code:
                ctx.error(record, "parent", "上级部门不能是自身")
            elif code:
                parents[code] = parent
        sanding = dep.get("sanding")
        if sanding is not None and _mapping(ctx, f"{record} sanding", sanding, "三定规定"):
            _validate_sanding(ctx, f"{record} sanding", sanding)
        actual = dep.get("actual_staff")
        if actual is not None and _mapping(ctx, f"{record} actual_staff", actual, "实有人数"):
            rec = f"{record} actual_staff"
            _unknown_keys(ctx, rec, actual, set(STAFF_KEYS) | {"leaders", "as_of"})
            for key in STAFF_KEYS:
                _count(ctx, rec, key, actual.get(key))
            _date(ctx, rec, "as_of", actual.get("as_of"))
            _validate_leaders(ctx, rec, "leaders", actual.get("leaders"))
    for code in parents:
        seen_chain, cur = set(), code
        while cur in parents and cur not in seen_chain:
            seen_chain.add(cur)
            cur = parents[cur]
        if cur == code or cur in seen_chain:
            ctx.error(f"departments（{code}）", "parent", "上级部门关系形成循环")
            break
    for key, handler in _sections.items():
        if data.get(key) is not None:
            handler.validate(data[key], ctx)
    return ctx


def _validate_leaders(ctx, record, key, value):
    if value is None:
        return
    if not isinstance(value, dict):
        ctx.error(record, key, "应为键值结构（head、deputy、other）")
        return
    _unknown_keys(ctx, f"{record} {key}", value, set(LEADER_KEYS))
    for k in LEADER_KEYS:
        _count(ctx, f"{record} {key}", k, value.get(k))


def _validate_sanding(ctx, record, sanding):
    _unknown_keys(ctx, record, sanding, SANDING_KEYS)
    _text(ctx, record, sanding, "title")
    _text(ctx, record, sanding, "doc_no")
    _date(ctx, record, "issued", sanding.get("issued"))
    for n, duty in enumerate(_list(ctx, record, "duties", sanding.get("duties")), 1):
        if not isinstance(duty, str) or not duty.strip():
            ctx.error(f"{record} duties 第{n}项", None, "主要职责应为非空文本")
    for n, clause in enumerate(_list(ctx, record, "boundaries", sanding.get("boundaries")), 1):
        rec = f"{record} boundaries 第{n}条"
        if not _mapping(ctx, rec, clause, "职责分工"):
            continue
        _unknown_keys(ctx, rec, clause, {"with", "topic", "text"})
        _text(ctx, rec, clause, "text", required=True)
        _text(ctx, rec, clause, "topic")
        for other in _list(ctx, rec, "with", clause.get("with")):
            ctx.check_ref(rec, "with", other)
    for n, unit in enumerate(_list(ctx, record, "units", sanding.get("units")), 1):
        rec = f"{record} units 第{n}个"
        if not _mapping(ctx, rec, unit, "内设机构"):
            continue
        _unknown_keys(ctx, rec, unit, {"name", "duties"})
        _text(ctx, rec, unit, "name", required=True)
        _text(ctx, rec, unit, "duties")
    staffing = sanding.get("staffing")
    if staffing is not None and _mapping(ctx, f"{record} staffing", staffing, "编制"):
        rec = f"{record} staffing"
        _unknown_keys(ctx, rec, staffing, set(STAFF_KEYS) | {"leader_posts"})
        for key in STAFF_KEYS:
            _count(ctx, rec, key, staffing.get(key))
        _validate_leaders(ctx, rec, "leader_posts", staffing.get("leader_posts"))


# ---------------------------------------------------------------- writing


def _sync(ctx, kind, instance, values):
    """Set ``values`` on ``instance``; save (and count) only when something changed."""
    if instance.pk is None:
        for k, v in values.items():
            setattr(instance, k, v)
        instance.created_by = ctx.user
        instance.save()
        ctx.report.add(kind, "created")
        return True
    changed = [k for k, v in values.items() if getattr(instance, k) != v]
    if changed:
        for k in changed:
            setattr(instance, k, values[k])
        instance.version += 1
        instance.save()
        ctx.report.add(kind, "updated")
        return True
    ctx.report.add(kind, "unchanged")
    return False


def _clean(value):
    return None if value is None else str(value).strip()


def apply(ctx, user=None, progress=None):
    ctx.user = user
    data = ctx.data
    with transaction.atomic():
        region = data.get("region")
        if region:
            _sync(
                ctx,
                "行政区域",
                Region._base_manager.first() or Region(),
                {"name": _clean(region["name"]), "level": region.get("level") or Region.Level.CITY},
            )
        departments = data.get("departments") or []
        existing = {d.code: d for d in Department._base_manager.all()}
        created = set()
        for i, dep in enumerate(departments):
            code = dep["code"].strip()
            obj = existing.get(code) or Department(code=code)
            if obj.pk is None:
                created.add(code)
            _sync(
                ctx,
                "部门",
                obj,
                {
                    "name": _clean(dep["name"]),
                    "short_name": _clean(dep.get("short_name")) or "",
                    "kind": dep["kind"],
                    "category": dep["category"],
                    "assessed": bool(dep.get("assessed", False)),
                    "position": i + 1,
                },
            )
            existing[code] = obj
            ctx.departments[code] = obj
        for i, dep in enumerate(departments):
            obj = existing[dep["code"].strip()]
            parent = existing.get(dep.get("parent")) if dep.get("parent") else None
            parent = parent or (ctx.department(dep["parent"]) if dep.get("parent") else None)
            if obj.parent_id != (parent.pk if parent else None):
                obj.parent = parent
                obj.version += 1
                obj.save()
                if obj.code not in created:
                    ctx.report.add("部门", "updated")
            if dep.get("sanding") is not None:
                _apply_sanding(ctx, obj, dep["sanding"])
            if dep.get("actual_staff") is not None:
                _apply_actual(ctx, obj, dep["actual_staff"])
            if progress:
                progress(i + 1, len(departments))
        for key, handler in _sections.items():
            if data.get(key) is not None:
                handler.apply(data[key], ctx)
    return ctx.report


def _apply_sanding(ctx, department, sanding):
    title = _clean(sanding.get("title")) or f"{department.name}职能配置、内设机构和人员编制规定"
    head = {"title": title, "doc_no": _clean(sanding.get("doc_no")) or "", "issued": _as_date(sanding.get("issued"))}
    current = Mandate._base_manager.filter(department=department, is_current=True).first()
    if current is None or any(getattr(current, k) != v for k, v in head.items()):
        new = Mandate(department=department, is_current=True, **head)
        if current is not None:
            # A different document supersedes the current one, which stays readable.
            current.is_current = False
            current.version += 1
            current.save()
        new.created_by = ctx.user
        new.save()
        if current is not None:
            current.superseded_by = new
            current.save(update_fields=["superseded_by"])
        ctx.report.add("三定规定", "created")
        current = new
    else:
        ctx.report.add("三定规定", "unchanged")
    mandate = current

    duties = [str(d).strip() for d in sanding.get("duties") or []]
    have = {d.number: d for d in MandateDuty._base_manager.filter(mandate=mandate)}
    for number, text in enumerate(duties, 1):
        _sync(ctx, "主要职责", have.pop(number, None) or MandateDuty(mandate=mandate, number=number), {"text": text})
    for extra in have.values():
        extra.delete()
        ctx.report.add("主要职责", "deleted")

    clauses = sanding.get("boundaries") or []
    have = {c.position: c for c in BoundaryClause._base_manager.filter(mandate=mandate).prefetch_related("others")}
    for position, clause in enumerate(clauses, 1):
        obj = have.pop(position, None) or BoundaryClause(mandate=mandate, position=position)
        changed = _sync(
            ctx, "职责分工", obj, {"topic": _clean(clause.get("topic")) or "", "text": _clean(clause["text"])}
        )
        others = [ctx.department(code) for code in clause.get("with") or []]
        if sorted(o.pk for o in others) != sorted(o.pk for o in obj.others.all()):
            obj.others.set(others)
            if not changed:
                ctx.report.counts["职责分工"]["unchanged"] -= 1
                ctx.report.add("职责分工", "updated")
    for extra in have.values():
        extra.delete()
        ctx.report.add("职责分工", "deleted")

    units = sanding.get("units") or []
    have = {u.position: u for u in InternalUnit._base_manager.filter(mandate=mandate)}
    for position, unit in enumerate(units, 1):
        obj = have.pop(position, None) or InternalUnit(mandate=mandate, position=position)
        _sync(ctx, "内设机构", obj, {"name": _clean(unit["name"]), "duties": _clean(unit.get("duties")) or ""})
    for extra in have.values():
        extra.delete()
        ctx.report.add("内设机构", "deleted")

    staffing = sanding.get("staffing")
    if staffing is not None:
        leaders = staffing.get("leader_posts") or {}
        values = {key: staffing.get(key) for key in STAFF_KEYS}
        values.update({f"leader_{k}": leaders.get(k) for k in LEADER_KEYS})
        obj = StaffingQuota._base_manager.filter(mandate=mandate).first() or StaffingQuota(mandate=mandate)
        _sync(ctx, "编制", obj, values)


def _apply_actual(ctx, department, actual):
    leaders = actual.get("leaders") or {}
    values = {key: actual.get(key) for key in STAFF_KEYS}
    values.update({f"leader_{k}": leaders.get(k) for k in LEADER_KEYS})
    as_of = _as_date(actual.get("as_of"))
    latest = StaffingActual._base_manager.filter(department=department).first()
    same = latest is not None and all(getattr(latest, k) == v for k, v in values.items())
    if same and (as_of is None or latest.as_of == as_of):
        ctx.report.add("实有人数", "unchanged")
        return
    if latest is not None and as_of is not None and latest.as_of == as_of:
        _sync(ctx, "实有人数", latest, values)
        return
    obj = StaffingActual(department=department, as_of=as_of or timezone.localdate())
    _sync(ctx, "实有人数", obj, values)


def import_org(content, filename, user=None, progress=None):
    """Validate and import an organisation file; raise OrgFileError (nothing written) on any error."""
    data = parse(content, filename)
    ctx = validate(data, filename)
    if ctx.errors:
        raise OrgFileError(ctx.errors)
    return apply(ctx, user=user, progress=progress)


def import_org_path(path, user=None, progress=None):
    path = Path(path)
    return import_org(path.read_bytes(), path.name, user=user, progress=progress)


# ---------------------------------------------------------------- export


def _counts(obj, keys, prefix=""):
    out = {}
    for key in keys:
        value = getattr(obj, f"{prefix}{key}")
        if value is not None:
            out[key] = value
    return out


def export_data():
    data = {"format": FORMAT}
    region = Region._base_manager.first()
    if region:
        data["region"] = {"name": region.name, "level": region.level}
    departments = (
        Department._base_manager.select_related("parent")
        .prefetch_related("mandates__duties", "mandates__boundaries__others", "mandates__units", "staffing_actuals")
        .order_by("position", "code")
    )
    out = []
    for dep in departments:
        item = {"code": dep.code, "name": dep.name}
        if dep.short_name:
            item["short_name"] = dep.short_name
        item.update({"kind": dep.kind, "category": dep.category, "parent": dep.parent.code if dep.parent else None})
        item["assessed"] = dep.assessed
        mandate = next((m for m in dep.mandates.all() if m.is_current), None)
        if mandate:
            sanding = {"title": mandate.title}
            if mandate.doc_no:
                sanding["doc_no"] = mandate.doc_no
            if mandate.issued:
                sanding["issued"] = mandate.issued
            sanding["duties"] = [d.text for d in sorted(mandate.duties.all(), key=lambda d: d.number)]
            clauses = []
            for c in sorted(mandate.boundaries.all(), key=lambda c: c.position):
                clause = {"with": sorted(o.code for o in c.others.all())}
                if c.topic:
                    clause["topic"] = c.topic
                clause["text"] = c.text
                clauses.append(clause)
            if clauses:
                sanding["boundaries"] = clauses
            units = []
            for u in sorted(mandate.units.all(), key=lambda u: u.position):
                unit = {"name": u.name}
                if u.duties:
                    unit["duties"] = u.duties
                units.append(unit)
            if units:
                sanding["units"] = units
            quota = StaffingQuota._base_manager.filter(mandate=mandate).first()
            if quota:
                staffing = _counts(quota, STAFF_KEYS)
                leaders = _counts(quota, LEADER_KEYS, "leader_")
                if leaders:
                    staffing["leader_posts"] = leaders
                sanding["staffing"] = staffing
            item["sanding"] = sanding
        actual = next(iter(dep.staffing_actuals.all()), None)
        if actual:
            staff = _counts(actual, STAFF_KEYS)
            leaders = _counts(actual, LEADER_KEYS, "leader_")
            if leaders:
                staff["leaders"] = leaders
            staff["as_of"] = actual.as_of
            item["actual_staff"] = staff
        out.append(item)
    data["departments"] = out
    for key, handler in _sections.items():
        section = handler.export()
        if section:
            data[key] = section
    return data


def dump(data, filename):
    if str(filename).lower().endswith(".json"):
        return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)


def export_org(filename):
    return dump(export_data(), filename)
