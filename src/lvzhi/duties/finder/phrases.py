"""The lexicon's colloquial phrases as one index matches them in a question.

``PhraseMatcher`` is built with a ``FinderIndex`` (it needs the index's analyser and vocabulary):
it finds the entries whose phrases occur in a question — exactly, or with their characters in order
within a short window — and turns an entry (and its domain) into index terms; when nothing else is
understood it offers the entries whose phrases share most of their characters with the question.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from .text import SUBWORD_MARK, has_cjk

# characters too common to make two phrases alike (the fallback needs two others in common)
_WEAK_CHARS = frozenset("的了着过吗呢吧啊呀哦嘛么是有没不无我你他她它们这那个一在和与就都还也又很太要会能可去来到说把被让给对从为以事人好大小多少上下里外中天")


class PhraseMatcher:
    """The lexicon prepared for one index (see the module docstring)."""

    def __init__(self, index):
        """Pre-analyse ``index``'s lexicon against its vocabulary: phrase lookup by first
        character, and each entry's (and domain's) official words as index terms."""
        self.lexicon = index.lexicon
        self.params = index.params
        self.tok = index.tok
        self._analyze = analyze = index._analyze
        term_ids = index._term_ids
        self.say_by_first: dict[str, list[tuple[str, int]]] = {}
        # phrases that are themselves words of the documents ("学校", "加油站") are not colloquial:
        # they already match on their own, their expansion only adds a little
        self.say_weight: dict[str, float] = {}
        kw = self.params.known_say_weight
        if kw != 1.0:
            for e in self.lexicon.entries:
                for s in e.say:
                    if s in index.word_vocab:
                        self.say_weight[s] = kw
        self.say_fuzzy: list[tuple[str, frozenset, int]] = []
        self.fuzzy_by_first: dict[str, list[int]] = {}
        self.say_tokens: list[tuple[frozenset, int]] = []
        self.entry_terms: list[dict[int, float]] = []
        for k, e in enumerate(self.lexicon.entries):
            for s in e.say:
                self.say_by_first.setdefault(s[0], []).append((s, k))
                if len(s) >= self.params.fuzzy_min and has_cjk(s):
                    self.fuzzy_by_first.setdefault(s[0], []).append(len(self.say_fuzzy))
                    self.say_fuzzy.append((s, frozenset(s), k))
                if self.params.token_match:
                    toks = [w.lstrip(SUBWORD_MARK) for w in analyze(s, subwords=False)[0]]
                    if len(toks) >= 2:
                        self.say_tokens.append((frozenset(toks), k))
            acc: dict[int, float] = {}
            n = len(e.means)
            for m in e.means:
                words, bigrams = analyze(m)
                term_ids(words, bigrams, 1.0 / math.sqrt(n), acc)
            self.entry_terms.append(acc)
        self.domain_terms: dict[str, dict[int, float]] = {}
        for name, terms in self.lexicon.domains.items():
            acc = {}
            for m in terms:
                words, bigrams = analyze(m)
                term_ids(words, bigrams, 1.0 / math.sqrt(len(terms)), acc)
            self.domain_terms[name] = acc
        for lst in self.say_by_first.values():
            lst.sort(key=lambda x: -len(x[0]))
        # for the fallback: Chinese characters of the phrases of three or more characters
        self.say_chars: list[tuple[int, int]] = []  # (entry, number of distinct characters)
        self.char_phrases: dict[str, list[int]] = {}
        for k, e in enumerate(self.lexicon.entries):
            for s in e.say:
                cs = {ch for ch in s if has_cjk(ch)}
                if len(s) >= 3 and len(cs) >= 3:
                    for ch in cs:
                        self.char_phrases.setdefault(ch, []).append(len(self.say_chars))
                    self.say_chars.append((k, len(cs)))

    def match(
        self, text: str, tokens: list[str] | None = None
    ) -> tuple[dict[int, tuple[float, int, int]], list[tuple[int, int, int]]]:
        """Entries whose colloquial phrase occurs in the text, and every span they cover (start, end,
        entry).

        Phrases of four or more characters also match when their characters occur in order within
        a short window ("不发工资" ~ "不给发工资"). A phrase inside a longer matched phrase of
        another entry does not count ("共享单车乱停" is not also "车乱停", "车间里粉尘" is not also
        "粉尘"); exact occurrences go first.
        A one-character phrase ("狗") counts only as a word of its own, not inside another word.
        """
        found: list[tuple[int, int, int]] = []
        single: set[int] | None = None
        for i in range(len(text)):
            for s, k in self.say_by_first.get(text[i], ()):
                if text.startswith(s, i):
                    if len(s) == 1:
                        if single is None:
                            single = set()
                            pos = 0
                            for w in tokens if tokens is not None else self.tok.cut(text, HMM=False):
                                if len(w) == 1:
                                    single.add(pos)
                                pos += len(w)
                        if i not in single:
                            continue
                    found.append((i, i + len(s), k))
        chars = frozenset(text)
        gap = self.params.fuzzy_gap
        fb = self.fuzzy_by_first
        fuzzy: list[tuple[int, int, int]] = []
        for i in sorted(i for ch in chars for i in fb.get(ch, ())):
            s, cs, k = self.say_fuzzy[i]
            if cs <= chars:
                span = _subsequence_span(text, s, len(s) + gap)
                if span:
                    fuzzy.append((span[0], span[1], k))
        longer = found + fuzzy

        def inside_longer(a, b, k):
            return any(a2 <= a and b <= b2 and (b2 - a2) > (b - a) and k2 != k for (a2, b2, k2) in longer)

        keep = [(a, b, k) for (a, b, k) in found if not inside_longer(a, b, k)]
        hits: dict[int, tuple[float, int, int]] = {}  # entry → (weight, span)
        sw = self.say_weight
        for a, b, k in keep:
            w = sw.get(text[a:b], 1.0)
            if k not in hits or w > hits[k][0]:
                hits[k] = (w, a, b)
        spans = list(keep)
        for a, b, k in fuzzy:
            if k not in hits and not inside_longer(a, b, k) and not any(a2 <= a and b <= b2 for a2, b2, _ in spans):
                hits[k] = (1.0, a, b)
                spans.append((a, b, k))
        if self.say_tokens:
            for clause in re.split(r"[，,。；;！!？?\s]+", text):
                qtoks = frozenset(self._analyze(clause, subwords=False)[0])
                for ts, k in self.say_tokens:
                    if k not in hits and ts <= qtoks:
                        hits[k] = (1.0, -1, -1)  # no span of its own
        return hits, spans

    def fallback_terms(self, text: str) -> dict[int, float]:
        """Terms of the lexicon entries whose phrases share at least two thirds of their Chinese
        characters (two or more of them not mere function characters) with the question, in any
        order; used only when nothing else is understood. ``text`` is the cleaned question."""
        counts: Counter = Counter()
        strong: Counter = Counter()
        for ch in set(text):
            weak = ch in _WEAK_CHARS
            for i in self.char_phrases.get(ch, ()):
                counts[i] += 1
                if not weak:
                    strong[i] += 1
        best: dict[int, float] = {}
        for i, c in counts.items():
            k, n = self.say_chars[i]
            r = c / n
            if strong[i] >= 2 and r >= 2 / 3 and r > best.get(k, 0.0):
                best[k] = r
        if not best:
            return {}
        p = self.params
        out: dict[int, float] = {}
        for k in sorted(best, key=lambda k: (-best[k], k))[:3]:
            ew = p.fallback_weight * p.expansion_weight * self.lexicon.entries[k].weight * best[k]
            for i, w in self.entry_terms[k].items():
                out[i] = out.get(i, 0.0) + ew * w
        return out


def _subsequence_span(text: str, phrase: str, max_span: int) -> tuple[int, int] | None:
    """First span of ``text`` containing ``phrase``'s characters in order within ``max_span`` chars."""
    first = phrase[0]
    start = text.find(first)
    while start != -1:
        pos = start + 1
        ok = True
        for ch in phrase[1:]:
            pos = text.find(ch, pos, start + max_span)
            if pos == -1:
                ok = False
                break
            pos += 1
        if ok:
            return start, pos
        start = text.find(first, start + 1)
    return None
