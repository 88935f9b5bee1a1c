"""Loaders for this app's reference libraries (``lvzhi load-library``): the problem taxonomy,
the research outline, working-day calendars and questionnaire templates.

Loading a version for the first time makes it current; loading a known version again updates its
texts in place and changes nothing else, so re-running ``load-library`` is harmless.
"""

import datetime as dt

from django.db import transaction

from lvzhi.core.libraries import LibraryError

from .models import (
    CalendarDay,
    ProblemCategory,
    ProblemType,
    QuestionnaireTemplate,
    ResearchOutline,
    Severity,
    Taxonomy,
)


def _need(path, record, item, key, kind=str):
    value = item.get(key) if isinstance(item, dict) else None
    if value is None or (kind is str and not str(value).strip()) or not isinstance(value, kind):
        raise LibraryError(f"文件 {path.name}：{record} 缺少 {key} 或格式不正确")
    return value.strip() if kind is str else value


def _list(path, record, data, key):
    value = data.get(key)
    if not isinstance(value, list) or not value:
        raise LibraryError(f"文件 {path.name}：{record} 的 {key} 必须是非空列表")
    return value


def load_taxonomy(data, path, user=None):
    version = str(data["version"])
    categories = _list(path, "文件顶层", data, "categories")
    parsed, codes = [], set()
    for i, cat in enumerate(categories, 1):
        rec = f"categories 第{i}项"
        code, name = _need(path, rec, cat, "code"), _need(path, rec, cat, "name")
        types = []
        for j, typ in enumerate(_list(path, rec, cat, "types"), 1):
            trec = f"{rec}（{code}）types 第{j}项"
            tcode = _need(path, trec, typ, "code")
            if tcode in codes:
                raise LibraryError(f"文件 {path.name}：{trec} 编码 {tcode} 重复")
            codes.add(tcode)
            severity = typ.get("default_severity", Severity.MEDIUM)
            if severity not in Severity.values:
                raise LibraryError(f"文件 {path.name}：{trec} default_severity 只能是 {'、'.join(Severity.values)}")
            types.append((tcode, _need(path, trec, typ, "name"), typ.get("description") or "", severity))
        parsed.append((code, name, cat.get("description") or "", types))
    with transaction.atomic():
        taxonomy, created = Taxonomy.objects.get_or_create(
            version=version, defaults={"title": data.get("title") or "问题分类库"}
        )
        if created:
            Taxonomy.objects.exclude(pk=taxonomy.pk).update(is_current=False)
            taxonomy.is_current = True
            taxonomy.save()
        n_types = 0
        for pos, (code, name, desc, types) in enumerate(parsed, 1):
            category, _ = ProblemCategory.objects.update_or_create(
                taxonomy=taxonomy, code=code, defaults={"name": name, "description": desc, "position": pos}
            )
            for tpos, (tcode, tname, tdesc, severity) in enumerate(types, 1):
                ProblemType.objects.update_or_create(
                    category=category, code=tcode,
                    defaults={"name": tname, "description": tdesc, "default_severity": severity, "position": tpos},
                )
                n_types += 1
    state = "新版本，已设为现行" if created else "已更新"
    return f"问题分类库 {version}（{len(parsed)} 个类别、{n_types} 个类型，{state}）"


def load_outline(data, path, user=None):
    version = str(data["version"])
    topics = []
    for i, topic in enumerate(_list(path, "文件顶层", data, "topics"), 1):
        rec = f"topics 第{i}项"
        questions = [str(q).strip() for q in _list(path, rec, topic, "questions") if str(q).strip()]
        topics.append({"code": _need(path, rec, topic, "code"), "name": _need(path, rec, topic, "name"),
                       "questions": questions})
    with transaction.atomic():
        outline, created = ResearchOutline.objects.update_or_create(
            version=version, defaults={"title": data.get("title") or "调研提纲", "topics": topics}
        )
        if created:
            ResearchOutline.objects.exclude(pk=outline.pk).update(is_current=False)
            ResearchOutline.objects.filter(pk=outline.pk).update(is_current=True)
    return f"调研提纲 {version}（{len(topics)} 个方面）"


def _date(path, record, value):
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise LibraryError(f"文件 {path.name}：{record} 的日期 {value!r} 无法识别（应为 YYYY-MM-DD）")


def load_calendar(data, path, user=None):
    """``holidays``: ranges of days off; ``workdays``: 调休 make-up working days."""
    days = {}
    for key, is_workday in (("holidays", False), ("workdays", True)):
        for i, item in enumerate(data.get(key) or [], 1):
            rec = f"{key} 第{i}项"
            name = _need(path, rec, item, "name")
            start = _date(path, rec, item.get("from") or item.get("date"))
            end = _date(path, rec, item.get("to") or start)
            if end < start:
                raise LibraryError(f"文件 {path.name}：{rec} 的结束日期早于开始日期")
            day = start
            while day <= end:
                if day in days and days[day][0] != is_workday:
                    raise LibraryError(f"文件 {path.name}：{day} 同时被列为休息日和工作日")
                days[day] = (is_workday, name)
                day += dt.timedelta(days=1)
    with transaction.atomic():
        CalendarDay.objects.filter(source=path.name).exclude(date__in=days).delete()
        for day, (is_workday, name) in days.items():
            CalendarDay.objects.update_or_create(
                date=day, defaults={"is_workday": is_workday, "name": name, "source": path.name}
            )
    return f"工作日历调整（{len(days)} 天）"


def load_questionnaires(data, path, user=None):
    version = str(data["version"])
    count = 0
    with transaction.atomic():
        for i, tpl in enumerate(_list(path, "文件顶层", data, "templates"), 1):
            rec = f"templates 第{i}项"
            code = _need(path, rec, tpl, "code")
            scale = tpl.get("scale") or {}
            lo, hi = int(scale.get("min", 1)), int(scale.get("max", 5))
            if lo >= hi:
                raise LibraryError(f"文件 {path.name}：{rec} 的分值范围不正确")
            questions, seen = [], set()
            for j, q in enumerate(_list(path, rec, tpl, "questions"), 1):
                qrec = f"{rec}（{code}）questions 第{j}项"
                qcode = _need(path, qrec, q, "code")
                kind = q.get("kind", "score")
                if kind not in ("score", "text") or qcode in seen:
                    raise LibraryError(f"文件 {path.name}：{qrec} 编码重复或 kind 不是 score/text")
                seen.add(qcode)
                questions.append({"code": qcode, "text": _need(path, qrec, q, "text"), "kind": kind})
            QuestionnaireTemplate.objects.update_or_create(
                code=code, version=version,
                defaults={"title": _need(path, rec, tpl, "title"), "description": tpl.get("description") or "",
                          "scale_min": lo, "scale_max": hi, "scale_labels": scale.get("labels") or {},
                          "questions": questions, "is_current": True},
            )
            QuestionnaireTemplate.objects.filter(code=code).exclude(version=version).update(is_current=False)
            count += 1
    return f"问卷模板 {version}（{count} 套）"


LOADERS = {
    "problem_taxonomy": load_taxonomy,
    "research_outline": load_outline,
    "holiday_calendar": load_calendar,
    "questionnaire_templates": load_questionnaires,
}
