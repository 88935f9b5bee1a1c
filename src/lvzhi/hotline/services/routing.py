"""派单建议: which department should handle a new ticket, with the evidence.

Three sources, combined: a decided dispute whose subject the ticket matches (the office's rule
wins), the finder's reading of the duties (三定, boundary clauses, duty points, power items), and
the naive Bayes model learned from the final handlers of historical tickets.
"""

import threading

from django.db import transaction
from django.utils import timezone

from lvzhi.org.models import Department

from .. import finder
from ..analysis.routing import NaiveBayes
from ..analysis.text import Vectorizer, cosine
from ..models import DisputeDecision, RoutingModel, Ticket
from ..rules import current_rules
from .common import require_hotline

_lock = threading.Lock()
_loaded = {"key": None, "model": None}


def train_routing(user=None, before=None):
    """Learn from the most recent closed tickets with a matched handler (``before``: a cut-off time)."""
    require_hotline(user, "训练派单建议模型")
    rules = current_rules()
    history = Ticket._base_manager.filter(handler__isnull=False, closed_at__isnull=False)
    if before is not None:
        history = history.filter(received_at__lt=before)
    rows = list(history.order_by("-received_at").values_list("content", "address", "handler_id")[
                :rules.routing_history])
    if len({r[2] for r in rows}) < 2:
        return None
    model = NaiveBayes.train([r[0] for r in rows], [r[2] for r in rows], [r[1] for r in rows])
    if before is not None:
        return model
    with transaction.atomic():
        RoutingModel.objects.filter(is_current=True).update(is_current=False)
        return RoutingModel.objects.create(samples=len(rows), payload=model.dumps(), is_current=True)


def refresh_routing(user=None):
    """Retrain unless no ticket was added or changed since the current model was trained (imports,
    pushes and alias links all stamp the tickets they touch); returns ``(model or None, trained)``."""
    require_hotline(user, "训练派单建议模型")
    current = RoutingModel.objects.filter(is_current=True).defer("payload").first()
    # Imports stamp whole seconds: a ticket stamped in the second of the training may be newer.
    since = current.trained_at.replace(microsecond=0) if current is not None else None
    if current is not None and not Ticket._base_manager.filter(updated_at__gte=since).exists():
        return current, False
    return train_routing(user), True


def current_model():
    row = RoutingModel.objects.filter(is_current=True).values_list("pk", "trained_at").first()
    if row is None:
        return None
    with _lock:
        # Keyed by id and time: a restored or recreated database can reuse an id for another model.
        if _loaded["key"] != row:
            payload = RoutingModel.objects.filter(pk=row[0]).values_list("payload", flat=True).first()
            _loaded["model"], _loaded["key"] = NaiveBayes.loads(payload), row
        return _loaded["model"]


def _decisions(before=None):
    """The decisions in force: the current ones, or — as of ``before`` (a time) — each dispute's
    latest decision dated before that day, whatever came after."""
    decisions = DisputeDecision._base_manager.select_related("dispute", "lead")
    if before is None:
        return list(decisions.filter(is_current=True))
    latest = {}
    for decision in decisions.filter(decided_on__lt=timezone.localtime(before).date()).order_by("decided_on", "pk"):
        latest[decision.dispute_id] = decision
    return list(latest.values())


def _rules_matching(text, address, rules, before=None):
    """Decisions in force whose dispute subject the text falls under, best match first."""
    decisions = _decisions(before)
    if not decisions:
        return []
    vectorizer = Vectorizer([d.dispute.title for d in decisions], rules)
    vector = vectorizer.weights(text, address)
    scored = [(cosine(vector, d.dispute.signature), d) for d in decisions]
    return [(s, d) for s, d in sorted(scored, key=lambda x: -x[0]) if s >= rules.similarity]


def suggest(text, address="", limit=3, model=None, use_finder=True, before=None):
    """Suggested departments, best first: ``[{department, code, name, score, evidence: [...]}]``.

    ``before`` (a time): suggest as the office's decisions stood then (for evaluation)."""
    rules = current_rules()
    departments = {d.pk: d for d in Department._base_manager.only("pk", "code", "name", "short_name")}
    by_code = {d.code: d for d in departments.values()}
    scores, evidence = {}, {}
    learned = model if model is not None else current_model()
    if learned is not None:
        for pk, p in learned.rank(text, address, top=5):
            if pk in departments:
                scores[pk] = scores.get(pk, 0.0) + rules.model_weight * p
                evidence.setdefault(pk, []).append(
                    {"kind": "history", "text": f"历史工单中相近诉求由该单位办结的概率约 {p:.0%}", "ref": "派单建议模型"})
    results = finder.search(text, 5) if use_finder else []
    top = results[0]["score"] if results else 0
    finder_weight = 1 - rules.model_weight if learned is not None else 1.0
    for result in results:
        dept = by_code.get(result["department"])
        if dept is None or not top:
            continue
        scores[dept.pk] = scores.get(dept.pk, 0.0) + finder_weight * result["score"] / top
        for item in result.get("evidence", [])[:2]:
            evidence.setdefault(dept.pk, []).append({"kind": item["kind"], "text": item["text"], "ref": item["ref"]})
    for similarity, decision in _rules_matching(text, address, rules, before)[:1]:
        # Above anything the model and the finder can give together (at most 1): the office's rule comes first.
        scores[decision.lead_id] = scores.get(decision.lead_id, 0.0) + 1.0 + similarity
        evidence.setdefault(decision.lead_id, []).insert(0, {
            "kind": "decision", "ref": f"派单规则 {decision.rule_code}",
            "text": f"编办已认定“{decision.dispute.title}”由{decision.lead.label}牵头（相似度 {similarity:.2f}）"})
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])[:limit]
    return [{"department": pk, "code": departments[pk].code, "name": departments[pk].name,
             "score": round(score, 4), "evidence": evidence.get(pk, [])} for pk, score in ranked]


def evaluate(share=0.8, limit=1000, use_finder=True):
    """Top-1/top-3 on a time-based split: learn from the earliest ``share`` of tickets, test on the
    rest. Nothing after the cut is used: not the later tickets, nor decisions dated after it."""
    history = Ticket._base_manager.filter(handler__isnull=False, closed_at__isnull=False)
    total = history.count()
    if total < 50:
        return None
    cut = history.order_by("received_at").values_list("received_at", flat=True)[int(total * share)]
    model = train_routing(None, before=cut)
    later = list(history.filter(received_at__gte=cut).order_by("received_at").values_list(
        "content", "address", "handler_id")[:limit])
    tally = {name: [0, 0] for name in ("model", "finder", "combined")}
    departments = dict(Department._base_manager.values_list("code", "pk"))
    for content, address, handler in later:
        picks = {
            "model": [pk for pk, _ in model.rank(content, address, 3)] if model else [],
            "finder": [departments.get(r["department"]) for r in finder.search(content, 3)] if use_finder else [],
            "combined": [s["department"] for s in suggest(content, address, 3, model=model, use_finder=use_finder,
                                                          before=cut)],
        }
        for name, found in picks.items():
            tally[name][0] += found[:1] == [handler]
            tally[name][1] += handler in found[:3]
    n = len(later)
    return {"cut": cut.isoformat(), "train": int(total * share), "test": n, **{
        name: {"top1": round(a / n, 4), "top3": round(b / n, 4)} for name, (a, b) in tally.items()
        if name != "finder" or use_finder}}
