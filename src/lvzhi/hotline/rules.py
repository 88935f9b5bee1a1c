"""The hotline rules in force: time limits per request kind (working days), topic stop words and
dispute grouping thresholds, from the current ``hotline_rules`` library (bundled file until one
is loaded)."""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from lvzhi.core.libraries import LibraryError, library_path, read

from .models import Kind, RuleSet

BUNDLED = library_path("hotline_rules.yaml")


@dataclass(frozen=True)
class Rules:
    version: str
    time_limits: dict  # kind code -> working days
    stop_words: frozenset = frozenset()
    words: tuple = ()  # domain words the segmenter should keep whole
    topic_sample: int = 6000
    topic_top: int = 12
    similarity: float = 0.28
    point_similarity: float = 0.08
    routing_history: int = 60000
    model_weight: float = 0.6

    def limit(self, kind):
        return self.time_limits.get(kind, self.time_limits.get(Kind.OTHER, 10))


def _kind_code(path, key):
    for code, label in Kind.choices:
        if str(key).strip() in (code, label):
            return code
    raise LibraryError(f"文件 {Path(path).name}：time_limits 中的“{key}”不是诉求类型（应为 {'、'.join(Kind.labels)}）")


def _number(path, where, value, kind=int, low=0, high=None):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < low or (high and value > high):
        raise LibraryError(f"文件 {Path(path).name}：{where} 应为不小于 {low} 的数{f'且不大于 {high}' if high else ''}")
    return kind(value)


def parse(data, path):
    """Validate a ``hotline_rules`` document; raise LibraryError naming the file and field."""
    limits = data.get("time_limits")
    if not isinstance(limits, dict) or not limits:
        raise LibraryError(f"文件 {Path(path).name}：缺少 time_limits（各诉求类型的办理时限）")
    time_limits = {_kind_code(path, k): _number(path, f"time_limits.{k}", v, low=1) for k, v in limits.items()}
    topics = data.get("topics") or {}
    disputes = data.get("disputes") or {}
    routing = data.get("routing") or {}
    words = topics.get("stop_words") or []
    domain = topics.get("words") or []
    if not isinstance(words, list) or not isinstance(domain, list):
        raise LibraryError(f"文件 {Path(path).name}：topics.stop_words 和 topics.words 应为列表")
    return Rules(
        version=str(data["version"]),
        time_limits=time_limits,
        stop_words=frozenset(str(w).strip() for w in words if str(w).strip()),
        words=tuple(str(w).strip() for w in domain if str(w).strip()),
        topic_sample=_number(path, "topics.sample", topics.get("sample", 6000), low=100),
        topic_top=_number(path, "topics.top", topics.get("top", 12), low=1),
        similarity=_number(path, "disputes.similarity", disputes.get("similarity", 0.28), float, 0.05, 1),
        point_similarity=_number(path, "disputes.point_similarity", disputes.get("point_similarity", 0.08), float, 0.01, 1),
        routing_history=_number(path, "routing.history", routing.get("history", 60000), low=100),
        model_weight=_number(path, "routing.model_weight", routing.get("model_weight", 0.6), float, 0, 1),
    )


def load_rules(data, path, user=None):
    """Library loader (``lvzhi load-library``): store the rules and make them current."""
    rules = parse(data, path)
    with transaction.atomic():
        RuleSet.objects.filter(is_current=True).exclude(version=rules.version).update(is_current=False)
        RuleSet.objects.update_or_create(
            version=rules.version,
            defaults={"title": data.get("title") or "12345热线规则", "data": data, "is_current": True},
        )
    limits = "、".join(f"{Kind(k).label}{v}个工作日" for k, v in rules.time_limits.items())
    return f"热线规则 {rules.version}：办理时限 {limits}"


def current_rules():
    row = RuleSet.objects.filter(is_current=True).first()
    if row is not None:
        return parse(row.data, f"{row.version}.yaml")
    return parse(read(BUNDLED), BUNDLED)
