"""The ``matters:`` section of the organisation file: matters → links → duty points."""

from lvzhi.org.interchange import CODE_RE, _clean, _list, _mapping, _sync, _text, _unknown_keys

from .models import DutyPoint, Matter, MatterLink


class MattersSection:
    def validate(self, matters, ctx):
        matters = _list(ctx, "文件顶层", "matters", matters)
        seen = {}
        for i, matter in enumerate(matters, 1):
            record = f"matters 第{i}条"
            if not _mapping(ctx, record, matter, "职责边界事项"):
                continue
            code = _text(ctx, record, matter, "code", required=True)
            if code:
                record = f"matters 第{i}条（{code}）"
                if not CODE_RE.match(code):
                    ctx.error(record, "code", "事项编码只能由 2–32 位字母、数字、下划线或连字符组成")
                if code in seen:
                    ctx.error(record, "code", f"事项编码重复（与第{seen[code]}条相同）")
                seen.setdefault(code, i)
            _unknown_keys(ctx, record, matter, {"code", "name", "description", "links"})
            _text(ctx, record, matter, "name", required=True)
            _text(ctx, record, matter, "description")
            for j, link in enumerate(_list(ctx, record, "links", matter.get("links")), 1):
                rec = f"{record} links 第{j}个环节"
                if not _mapping(ctx, rec, link, "环节"):
                    continue
                _unknown_keys(ctx, rec, link, {"name", "points"})
                _text(ctx, rec, link, "name", required=True)
                for k, point in enumerate(_list(ctx, rec, "points", link.get("points")), 1):
                    prec = f"{rec} points 第{k}个颗粒点"
                    if not _mapping(ctx, prec, point, "职责颗粒点"):
                        continue
                    _unknown_keys(ctx, prec, point, {"text", "lead", "support", "basis"})
                    _text(ctx, prec, point, "text", required=True)
                    if _text(ctx, prec, point, "lead", required=True):
                        ctx.check_ref(prec, "lead", point["lead"])
                    for code in _list(ctx, prec, "support", point.get("support")):
                        ctx.check_ref(prec, "support", code)
                    _text(ctx, prec, point, "basis")

    def apply(self, matters, ctx):
        existing = {m.code: m for m in Matter._base_manager.all()}
        for i, item in enumerate(matters, 1):
            code = item["code"].strip()
            matter = existing.get(code) or Matter(code=code)
            _sync(
                ctx,
                "职责边界事项",
                matter,
                {"name": _clean(item["name"]), "description": _clean(item.get("description")) or "", "position": i},
            )
            links = {l.position: l for l in MatterLink._base_manager.filter(matter=matter)}
            for j, link_data in enumerate(item.get("links") or [], 1):
                link = links.pop(j, None) or MatterLink(matter=matter, position=j)
                _sync(ctx, "环节", link, {"name": _clean(link_data["name"])})
                points = {
                    p.position: p for p in DutyPoint._base_manager.filter(link=link).prefetch_related("support")
                }
                for k, pdata in enumerate(link_data.get("points") or [], 1):
                    point = points.pop(k, None) or DutyPoint(link=link, position=k)
                    changed = _sync(
                        ctx,
                        "职责颗粒点",
                        point,
                        {
                            "text": _clean(pdata["text"]),
                            "lead": ctx.department(pdata["lead"].strip()),
                            "basis": _clean(pdata.get("basis")) or "",
                        },
                    )
                    support = [ctx.department(c) for c in pdata.get("support") or []]
                    if sorted(s.pk for s in support) != sorted(s.pk for s in point.support.all()):
                        point.support.set(support)
                        if not changed:
                            ctx.report.counts["职责颗粒点"]["unchanged"] -= 1
                            ctx.report.add("职责颗粒点", "updated")
                for extra in points.values():
                    extra.delete()
                    ctx.report.add("职责颗粒点", "deleted")
            for extra in links.values():
                extra.delete()
                ctx.report.add("环节", "deleted")

    def export(self):
        matters = Matter._base_manager.prefetch_related("links__points__lead", "links__points__support").order_by(
            "position", "code"
        )
        out = []
        for matter in matters:
            item = {"code": matter.code, "name": matter.name}
            if matter.description:
                item["description"] = matter.description
            links = []
            for link in sorted(matter.links.all(), key=lambda l: l.position):
                points = []
                for p in sorted(link.points.all(), key=lambda p: p.position):
                    point = {"text": p.text, "lead": p.lead.code}
                    support = [s.code for s in p.support.all()]
                    if support:
                        point["support"] = sorted(support)
                    if p.basis:
                        point["basis"] = p.basis
                    points.append(point)
                links.append({"name": link.name, "points": points})
            item["links"] = links
            out.append(item)
        return out
