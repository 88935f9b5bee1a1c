"""The finder index built from the loaded data, kept current when that data changes.

The index is built from published data only — the current 三定 of every department, published
matters and the current published edition of each power list — so the same answers serve the
public site, the office and the hotline, with the current lexicon (loaded with ``lvzhi
load-library``; the bundled file until one is). A change to any of those records bumps a stamp in
the shared cache; every process rebuilds its in-memory index on its next search after that.
"""

import threading
import uuid

from django.apps import apps
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

from lvzhi.duties.finder import FinderIndex, Lexicon, docs_from_org
from lvzhi.duties.finder.docs import org_department_meta, township_places
from lvzhi.duties.finder.engine import level_priors
from lvzhi.org.interchange import export_data

STAMP_KEY = "lvzhi:finder:stamp"
WATCHED = [
    ("org", "Department"),
    ("org", "Mandate"),
    ("org", "MandateDuty"),
    ("org", "BoundaryClause"),
    ("org", "InternalUnit"),
    ("duties", "Matter"),
    ("duties", "MatterLink"),
    ("duties", "DutyPoint"),
    ("duties", "PowerListEdition"),
    ("duties", "PowerItem"),
    ("duties", "FinderLexicon"),
]

_lock = threading.Lock()
_state = {"stamp": None, "index": None}


def _model(app_label, name):
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def power_item_rows():
    """Items of every power list's current published edition, in the 权责清单 columns."""
    PowerItem = _model("duties", "PowerItem")
    if PowerItem is None:
        return []
    items = PowerItem._base_manager.filter(edition__status="published", edition__is_current=True)
    return [
        {"department": code, "type": label, "name": name, "sub_item": sub, "responsibilities": resp}
        for code, label, name, sub, resp in items.values_list(
            "department__code", "type", "name", "sub_item", "responsibilities"
        )
    ]


def index_data():
    data = export_data()
    Matter = _model("duties", "Matter")
    published = set(Matter._base_manager.filter(published=True).values_list("code", flat=True))
    data["matters"] = [m for m in data.get("matters", []) if m["code"] in published]
    data["power_items"] = power_item_rows()
    return data


def current_lexicon():
    """The lexicon loaded as current, or the bundled file."""
    FinderLexicon = _model("duties", "FinderLexicon")
    row = FinderLexicon.current() if FinderLexicon is not None else None
    return Lexicon.from_data(row.data) if row is not None else Lexicon.load()


def build_index():
    data = index_data()
    docs, departments = docs_from_org(data)
    meta = org_department_meta(data)
    return FinderIndex.build(
        docs, departments, current_lexicon(), priors=level_priors(meta), places=township_places(meta)
    )


def current_stamp():
    stamp = cache.get(STAMP_KEY)
    if stamp is None:
        stamp = uuid.uuid4().hex
        cache.add(STAMP_KEY, stamp, timeout=None)
        stamp = cache.get(STAMP_KEY, stamp)
    return stamp


def current_index():
    stamp = current_stamp()
    if _state["index"] is None or _state["stamp"] != stamp:
        with _lock:
            if _state["index"] is None or _state["stamp"] != stamp:
                _state["index"] = build_index()
                _state["stamp"] = stamp
    return _state["index"]


def invalidate(**kwargs):
    cache.set(STAMP_KEY, uuid.uuid4().hex, timeout=None)


def connect():
    for app_label, name in WATCHED:
        model = _model(app_label, name)
        if model is None:
            continue
        uid = f"finder-{app_label}-{name}"
        post_save.connect(invalidate, sender=model, dispatch_uid=f"{uid}-save", weak=False)
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"{uid}-delete", weak=False)
        for field in model._meta.many_to_many:
            m2m_changed.connect(invalidate, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}",
                                weak=False)


MAX_LIMIT = 20


def lexicon_version():
    """Version of the lexicon the current index uses (for the page footer and the answers)."""
    return current_index().lexicon.version


def search(text, limit=5):
    """``{"query", "results", "lexicon"}`` as the API and ``lvzhi whose --json`` print it, results
    best first; ``lexicon`` is the version of the lexicon the answer was found with."""
    text = (text or "").strip()
    limit = max(1, min(int(limit), MAX_LIMIT))
    index = current_index()
    results = index.search(text, limit=limit) if text else []
    return {"query": text, "results": [r.to_dict() for r in results], "lexicon": index.lexicon.version}
