"""The duties app's "whose job is this" finder, used when it is installed.

Routing suggestions and dispute grouping consult it; without it they fall back to what the
hotline's own history shows, and the pages say so.
"""

try:
    from lvzhi.duties.whose import service as _service
except ImportError:  # the finder service is optional for this module
    _service = None


def available():
    return _service is not None


def search(text, limit=3):
    """Finder results as dicts (``department`` code, ``name``, ``score``, ``evidence``, ``lead``/``support``)."""
    if _service is None or not (text or "").strip():
        return []
    return _service.search(text, limit)["results"]


def duty_points(results, share=0.5):
    """Duty points the results point to, as ``[(point, weight)]``: every point of a matter that a
    result cites as evidence, whose lead department is itself a result scoring at least ``share``
    of the best one; ``weight`` is that result's share. The finder names the matter and the
    departments from one text; which point fits is for the caller to judge on fuller wording."""
    from lvzhi.duties.models import DutyPoint

    top = results[0]["score"] if results else 0
    shares = {r["department"]: r["score"] / top for r in results if top and r["score"] >= share * top}
    matters = {(item.get("ref") or "").partition("·")[0] for r in results for item in r.get("evidence") or []
               if item.get("kind") == "duty_point"}
    if not shares or not matters:
        return []
    points = DutyPoint._base_manager.select_related("link__matter", "lead").filter(
        link__matter__name__in=matters, lead__code__in=shares).order_by("link__matter__position", "link__position",
                                                                          "position", "pk")
    return [(point, shares[point.lead.code]) for point in points]


def clause_topic(result):
    """The topic of the boundary clause (职责分工) a result rests on first, if any."""
    for item in result.get("evidence") or []:
        if item.get("kind") == "boundary_clause":
            return (item.get("ref") or "").partition("：")[2]
    return ""
