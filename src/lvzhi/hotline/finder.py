"""The duties app's "whose job is this" finder, used when it is installed.

Routing suggestions and dispute grouping consult it; without it they fall back to what the
hotline's own history shows, and the pages say so.
"""

from lvzhi.duties.finder.text import clean

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


def duty_point(result):
    """The duty point a finder result rests on, when its best evidence is one."""
    from lvzhi.duties.models import DutyPoint

    evidence = (result.get("evidence") or [{}])[0]
    if evidence.get("kind") != "duty_point" or "lead" not in result:
        return None
    matter, _, link = (evidence.get("ref") or "").partition("·")
    points = DutyPoint._base_manager.select_related("link__matter").filter(lead__code=result["lead"])
    if matter:
        points = points.filter(link__matter__name=matter)
    if link:
        points = points.filter(link__name=link)
    wanted = evidence.get("text") or ""
    return next((p for p in points if clean(p.text) == wanted), None)
