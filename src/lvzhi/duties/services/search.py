"""Chinese full-text search over power items, done by the database.

Chinese has no spaces, so a query is segmented into terms with jieba (the words of its default
dictionary; nothing is downloaded) and an item matches when its text contains all the terms —
or, for queries of three or more terms, most of them (three out of four). "食品生产许可" is 食品 +
生产 + 许可 and so finds 食品生产经营许可. A dictionary word of three or more characters also
matches through its two-character parts (许可证 → 许可, 垃圾处置 → 垃圾 + 处置), and characters jieba
leaves single are kept together as one term (an unknown name stays whole).

Matching and ranking are one SQL expression per term (``icontains`` on the searched fields), so a
page of results costs the same two queries (count and page) however many items there are.
Relevance: a term found in the name counts most, then the sub-item, then basis or
responsibilities; an item whose name contains the whole query comes first.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Length

FIELDS = ("name", "sub_item", "basis", "responsibilities")
WEIGHTS = {"name": 3, "sub_item": 2}  # basis and responsibilities: 1
MAX_TERMS = 8  # a pasted paragraph must not become a hundred-term SQL expression
# Function words and question words; they would match nearly every item.
STOP_WORDS = frozenset(
    "的 了 和 与 及 或 等 在 对 是 有 中 之 其 被 把 由 为 向 从 于 并 且 以 所 该 各 这 那 "
    "哪 谁 吗 呢 啊 怎么 怎样 如何 哪里 哪些 什么 哪个 是否 可以 需要 关于 有关 相关 以及 或者 还是 办理 查询 咨询"
    .split()
)
_CHUNK_RE = re.compile(r"[\u4e00-\u9fff]+|[0-9A-Za-z][0-9A-Za-z._\-]*")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Term:
    text: str
    parts: tuple = ()  # two-character words that together stand in for a longer word

    def q(self, fields=FIELDS):
        """Rows where one of ``fields`` contains the term, or (for a long word) all of its parts."""
        whole = _any(fields, self.text)
        if not self.parts:
            return whole
        return whole | reduce(and_, (_any(fields, part) for part in self.parts))


def _any(fields, text):
    # Chinese has no case: plain ``contains`` spares PostgreSQL an UPPER() of every long text.
    lookup = "contains" if _CJK_RE.search(text) else "icontains"
    return reduce(or_, (Q(**{f"{f}__{lookup}": text}) for f in fields))


def _words(chunk):
    """jieba's words of a run of Chinese characters; single characters next to each other are
    joined again (jieba splits words it does not know into characters)."""
    import jieba

    words, run = [], ""
    for word in jieba.lcut(chunk, HMM=False):
        if len(word) == 1 and word not in STOP_WORDS:
            run += word
            continue
        if run:
            words.append(run)
            run = ""
        if word not in STOP_WORDS:
            words.append(word)
    if run:
        words.append(run)
    return words


def _parts(word):
    import jieba

    if len(word) < 3 or not _CJK_RE.match(word):
        return ()
    return tuple(dict.fromkeys(p for p in jieba.lcut_for_search(word, HMM=False) if len(p) == 2 and p != word))


def query_terms(text):
    """The search terms of ``text``, in order, without repeats."""
    text = unicodedata.normalize("NFKC", text or "")
    words = []
    for chunk in _CHUNK_RE.findall(text):
        words.extend(_words(chunk) if _CJK_RE.match(chunk) else [chunk])
    words = list(dict.fromkeys(words))
    if any(len(w) > 1 for w in words):
        words = [w for w in words if len(w) > 1]  # a lone character only when nothing else is left
    return [Term(w, _parts(w)) for w in words[:MAX_TERMS]]


def required(n):
    """How many of ``n`` terms an item must contain: all of one or two, three of four, …"""
    return n if n <= 2 else n - n // 4


def _one_if(q):
    return Case(When(q, then=Value(1)), default=Value(0), output_field=IntegerField())


def _match(term):
    """The term in any searched field; a code-like term also matches a power code exactly."""
    q = term.q()
    return q if _CJK_RE.search(term.text) else q | Q(code__iexact=term.text)


def matching(queryset, text):
    """``queryset`` narrowed to the items matching ``text``, annotated with ``relevance``
    (0 for every item when ``text`` has no terms)."""
    return _matching(queryset, query_terms(text), text)


def ranked(queryset, text, *then):
    """``matching`` items, most relevant first (a shorter name first among equals: it is the
    more specific match), then in the order ``then``; without terms, just in the order ``then``."""
    terms = query_terms(text)
    queryset = _matching(queryset, terms, text)
    return queryset.order_by("-relevance", Length("name"), *then) if terms else queryset.order_by(*then)


def _matching(queryset, terms, text):
    if not terms:
        return queryset.annotate(relevance=Value(0, output_field=IntegerField()))
    scores = [
        Case(When(t.q(("name",)), then=Value(WEIGHTS["name"])),
             When(t.q(("sub_item",)), then=Value(WEIGHTS["sub_item"])),
             When(t.q(("basis", "responsibilities")), then=Value(1)),
             default=Value(0), output_field=IntegerField())
        for t in terms
    ]
    # Terms next to each other in the name as in the query (食品生产 in 食品生产经营许可), and the
    # whole query in the name.
    scores += [_if_name(a.text + b.text, 2) for a, b in zip(terms, terms[1:])]
    scores.append(_if_name(re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)), WEIGHTS["name"] * len(terms)))
    relevance = sum(scores[1:], scores[0])
    need = required(len(terms))
    if need == len(terms):
        return queryset.filter(reduce(and_, (_match(t) for t in terms))).annotate(relevance=relevance)
    # An item with ``need`` of the terms has at least one of any ``len - need + 1`` of them: the
    # longest (rarest) such terms make a cheap first filter before the terms are counted.
    longest = sorted(terms, key=lambda t: -len(t.text))[:len(terms) - need + 1]
    hits = sum((_one_if(_match(t)) for t in terms[1:]), _one_if(_match(terms[0])))
    return (queryset.filter(reduce(or_, (_match(t) for t in longest)))
            .annotate(search_hits=hits, relevance=relevance).filter(search_hits__gte=need))


def _if_name(text, points):
    return Case(When(name__icontains=text, then=Value(points)), default=Value(0), output_field=IntegerField())
