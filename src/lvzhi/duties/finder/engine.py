"""The "whose job is this" finder (这件事归谁管？).

Given a sentence in a citizen's or a hotline operator's words, rank the departments whose duties
cover it and show the evidence. Pure Python (jieba, numpy, scipy); no Django.

Method
------
* Documents (``Doc``): 三定 main duties, 职责分工 boundary clauses split by the department each
  sentence credits (as subject, or as the agent of "…由X负责", "…归X"), internal-unit duties, power
  items and duty points of cross-department matters (credited to their lead department). What a
  duty names only to exclude it ("进入批发市场…之前", "河道管理范围以外的") counts little.
* Analysis: a private ``jieba.Tokenizer`` whose dictionary is extended at build time with terms
  from the loaded data (department names, matter/link/topic names, enumerated items of the texts)
  and the lexicon's official terms; stop words removed; long words also yield their dictionary
  sub-words (search-engine style).
* Three channels, all BM25-weighted: jieba words, character bigrams inside runs of content text
  (survives segmentation and wording differences), and, with a small weight, the single characters
  of those runs ("桥" of a question meets "桥梁" of a duty). Single characters re-rank what words
  and bigrams found; alone they never make a question understood.
* The question is cleaned of operator boiler-plate ("12345转：", "市民来电反映：") and expanded
  through the colloquial → official lexicon (``phrases.PhraseMatcher``). Lexicon phrases that are
  themselves words of the documents ("加油站", "公园") expand with less weight, and so do entries
  marked as naming a place or a party rather than a problem (``weight`` in the lexicon). A matched
  entry also brings its domain's official words (the lexicon's ``terms``) with a small weight.
  When an entry of a cross-sector function (public order, fire and work safety, tax, audit, labour
  rights …) matches, the other entries only set the scene ("网吧里有人赌博" asks about gambling).
* Words that only set the scene — the word before 门口/旁边/附近… ("学校门口的小推车") — weigh less
  than the rest of the question. A township or street the question names by its place ("禾西镇")
  is no word of the question but lifts that township's prior.
* Scoring: query vector (terms) × CSR matrix (terms × docs) whose entries already carry BM25
  weight, channel weight and kind weight (duty points and boundary clauses, which decide contested
  matters, weigh more), computed as a weighted sum of the query terms' matrix rows. Departments are
  ranked by their best document plus a damped sum of the next ones, plus a share of a
  department-level BM25 score (all of a department's texts as one document, so that several weak
  matches spread over its duties also count and department-level rarity of a term matters).
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field

import numpy as np
from scipy import sparse

from .docs import Doc, docs_from_org, org_department_meta  # noqa: F401  (re-exported)
from .docs import township_localities
from .lexicon import Lexicon
from .phrases import PhraseMatcher
from .text import STOP_WORDS, SUBWORD_MARK, char_bigrams, excluded_spans, has_cjk, is_wordlike, normalize

__all__ = [
    "Doc",
    "Evidence",
    "Result",
    "FinderParams",
    "FinderIndex",
    "Lexicon",
    "docs_from_org",
    "level_priors",
    "jieba_load_seconds",
]


# ---------------------------------------------------------------------------------------------
# jieba: one-off load of the main dictionary, then a private Tokenizer per index
# ---------------------------------------------------------------------------------------------

_BASE_LOCK = threading.Lock()
_BASE: dict = {}


def _base_freq():
    """Load jieba's main dictionary once (into a private Tokenizer, never the global one)."""
    with _BASE_LOCK:
        if "freq" not in _BASE:
            import jieba

            t0 = time.perf_counter()
            tok = jieba.Tokenizer()
            tok.initialize()
            _BASE["freq"] = tok.FREQ
            _BASE["total"] = tok.total
            _BASE["seconds"] = time.perf_counter() - t0
    return _BASE["freq"], _BASE["total"]


def jieba_load_seconds() -> float | None:
    """How long the one-off jieba dictionary load took (None before it happened)."""
    return _BASE.get("seconds")


def _new_tokenizer():
    import jieba

    freq, total = _base_freq()
    tok = jieba.Tokenizer()
    tok.FREQ = dict(freq)
    tok.total = total
    tok.initialized = True
    return tok


# ---------------------------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------------------------


@dataclass
class Evidence:
    kind: str
    text: str
    ref: str


@dataclass
class Result:
    department: str
    name: str
    score: float
    evidence: list[Evidence] = field(default_factory=list)
    lead: str | None = None
    support: list[str] | None = None

    def to_dict(self) -> dict:
        out = {
            "department": self.department,
            "name": self.name,
            "score": self.score,
            "evidence": [asdict(e) for e in self.evidence],
        }
        if self.lead is not None:
            out["lead"] = self.lead
            out["support"] = list(self.support or [])
        return out


@dataclass
class FinderParams:
    k1: float = 1.2
    b: float = 0.6
    bigram_weight: float = 0.7  # weight of the character-bigram channel relative to words
    # single characters of content runs ("桥" of a question, "桥梁" of a duty), relative to words
    unigram_weight: float = 0.3
    context_tf: float = 0.5  # term frequency credited to context (matter/link/topic/unit names)
    excluded_tf: float = 0.2  # term frequency of what a duty names only to exclude it
    kind_weights: dict = field(
        default_factory=lambda: {
            "duty_point": 1.25,
            "boundary_clause": 1.2,
            "mandate_duty": 1.0,
            "power_item": 0.95,
            "unit_duty": 0.9,
        }
    )
    expansion_weight: float = 0.8  # weight of lexicon terms relative to the question's own words
    # a matched entry's domain words (the lexicon's ``terms`` of its domain), relative to the entry
    domain_weight: float = 0.3
    covered_weight: float = 0.85  # question words inside a matched colloquial phrase
    fuzzy_gap: int = 4  # extra characters allowed inside a fuzzily matched lexicon phrase
    fuzzy_min: int = 4  # shortest lexicon phrase matched fuzzily
    # lexicon phrases that are themselves words of the documents ("加油站") count this much
    known_say_weight: float = 0.7
    scene_weight: float = 0.5  # question words naming only the scene ("学校门口…")
    named_place: float = 2.0  # prior of a township or street the question names by its place
    # expansion of a sector's entries when the question also names a cross-sector function
    sector_weight: float = 0.5
    # a department's texts taken together (one BM25 document per department), added with this
    # weight relative to the best department's score
    profile_weight: float = 0.3
    # when nothing is understood: lexicon phrases sharing most of their characters with the question
    # ("水是红色" ~ "水变红") are tried with this weight
    fallback_weight: float = 0.5
    token_match: bool = False  # a phrase also matches when all its words occur in one clause
    damping: float = 0.4  # department = best doc + damping * 2nd + damping² * 3rd …
    agg_docs: int = 3
    top_docs: int = 300  # documents considered for aggregation
    # below min_score × (IDF of a term found in one document) the question is not understood
    min_score: float = 0.75
    max_qtf: float = 2.0
    subword_weight: float = 0.5  # query weight of a long word's dictionary sub-words
    norm_power: float = 0.2  # scores divided by (document vector norm / mean norm) ** norm_power


# operator boiler-plate in front of a forwarded question ("12345转：", "市民来电反映：")
_HOTLINE_PREFIX_RE = re.compile(
    r"^(?:(?:您好|你好)[，,]?)?(?:\d{3,5}(?:热线)?(?:转办?|工单|派单)[:：]?|(?:市民|群众)?来电(?:人)?(?:反映|称|反应)?[:：]|(?:市民|群众)(?:反映|称)[:：])"
)
# words after which the word before them only names the scene of the matter
_SCENE_WORDS = frozenset("门口 旁边 附近 对面 周边 周围 边上 跟前 后面 前面 隔壁".split())

_ITEM_SPLIT_RE = re.compile(r"[、，,；;。：:（）()“”\"《》]")
_ENUM_RE = re.compile(r"([\u4e00-\u9fff]{2,8}(?:、[\u4e00-\u9fff]{2,8})+)")
_ENUM_TRIM_RE = re.compile(r"(等|和|及|以及|或者|或)[\u4e00-\u9fff]*$")


def clean_question(text: str) -> str:
    """The question normalised, without the operator's boiler-plate in front of it."""
    return _HOTLINE_PREFIX_RE.sub("", normalize(text))


def level_priors(meta: dict[str, dict], township: float = 0.75, zone: float = 0.85, branch: float = 0.85) -> dict:
    """Optional mild priors by organisational level (from ``org_department_meta``).

    A citizen's question is normally answered by the functional department; streets, towns,
    development zones and branch offices share many of its words (they carry the same duties
    locally), so they are damped a little. Structural only: no department is named.
    """
    out = {}
    for code, m in meta.items():
        w = 1.0
        if m.get("kind") == "township":
            w *= township
        elif m.get("kind") == "zone":
            w *= zone
        elif m.get("parent") and m.get("kind") not in ("township", "zone"):
            w *= branch
        out[code] = w
    return out


class FinderIndex:
    def __init__(self):  # use FinderIndex.build
        self.docs: list[Doc] = []
        self.departments: dict[str, str] = {}
        self.params = FinderParams()
        self.build_seconds = 0.0

    # ------------------------------------------------------------------ build
    @classmethod
    def build(
        cls,
        docs: list[Doc],
        departments: dict[str, str],
        lexicon: Lexicon | None = None,
        *,
        priors: dict[str, float] | None = None,
        places: dict[str, str] | None = None,
        params: FinderParams | None = None,
    ) -> "FinderIndex":
        t0 = time.perf_counter()
        self = cls()
        self.params = p = params or FinderParams()
        self.lexicon = lexicon or Lexicon.empty()
        self.departments = dict(departments)
        self.docs = [d for d in docs if d.department in self.departments and d.text]
        self.tok = _new_tokenizer()
        self._add_domain_words()

        # analyse documents
        word_vocab: dict[str, int] = {}
        bi_vocab: dict[str, int] = {}
        w_rows, w_cols, w_vals, w_len = [], [], [], []
        b_rows, b_cols, b_vals, b_len = [], [], [], []
        cache: dict[str, tuple[Counter, Counter]] = {}  # boundary clauses, unit boiler-plate … repeat

        def analyze(text):
            got = cache.get(text)
            if got is None:
                got = cache[text] = self._doc_terms(text)
            return got

        for j, d in enumerate(self.docs):
            wtf, btf = analyze(d.text)
            wtf, btf = wtf.copy(), btf.copy()
            if d.context:
                cw, cb = analyze(d.context)
                for t, v in cw.items():
                    wtf[t] += p.context_tf * v
                for t, v in cb.items():
                    btf[t] += p.context_tf * v
            for t, v in wtf.items():
                w_rows.append(word_vocab.setdefault(t, len(word_vocab)))
                w_cols.append(j)
                w_vals.append(v)
            for t, v in btf.items():
                b_rows.append(bi_vocab.setdefault(t, len(bi_vocab)))
                b_cols.append(j)
                b_vals.append(v)
            w_len.append(sum(wtf.values()))
            b_len.append(sum(btf.values()))
        n = len(self.docs)
        doc_w = np.array(
            [p.kind_weights.get(d.kind, 1.0) * d.weight for d in self.docs], dtype=np.float64
        )
        wm = self._bm25(w_rows, w_cols, w_vals, np.array(w_len), len(word_vocab), n, doc_w)
        bm = self._bm25(b_rows, b_cols, b_vals, np.array(b_len), len(bi_vocab), n, doc_w * p.bigram_weight)
        self.word_vocab = word_vocab
        self.bi_vocab = bi_vocab
        self.n_word = len(word_vocab)
        # the single-character terms (see ``_rank_understood``)
        self.single = {self.n_word + i for t, i in bi_vocab.items() if len(t) == 1}
        # one CSR matrix: rows = terms (words, then bigrams), columns = documents
        self.matrix = sparse.vstack([wm, bm]).tocsr()
        self.matrix.sort_indices()
        norms = np.sqrt(np.asarray(self.matrix.multiply(self.matrix).sum(axis=0)).ravel())
        norms = norms / max(float(norms.mean()) if norms.size else 1.0, 1e-9)
        self.doc_scale = np.where(norms > 0, norms, 1.0) ** (-p.norm_power)

        # departments
        self.dept_codes = list(self.departments)
        dept_pos = {c: i for i, c in enumerate(self.dept_codes)}
        self.doc_dept = np.array([dept_pos[d.department] for d in self.docs], dtype=np.int64)
        pri = priors or {}
        self.dept_prior = np.array([float(pri.get(c, 1.0)) for c in self.dept_codes])
        # townships and streets by the place they are named after ("禾西镇"): a question naming the
        # place is about that township's own duties where it has a matching one
        # (name, department position, how many trailing characters still count as words)
        self.places = [(name, dept_pos[c], 0) for c, name in (places or {}).items() if c in dept_pos and name]
        # a 民族乡 is called without its peoples too: 白岩彝族苗族乡 → 白岩乡
        self.places += [(short, di, 0) for name, di, _ in list(self.places)
                        if (short := _ETHNIC_RE.sub("", name)) != name and len(short) >= 2]
        # … and by the villages and communities their own texts name ("柳沟村", "东园社区")
        texts: dict[str, list[str]] = {}
        for d in self.docs:
            if d.department in (places or {}) and d.kind in ("mandate_duty", "unit_duty"):
                texts.setdefault(d.department, []).append(d.text)
        named = {name for name, _, _ in self.places}
        for c, place in (places or {}).items():
            if c in dept_pos and place:
                for name in sorted(township_localities(place, texts.get(c, ()))):
                    if name not in named:
                        # still words: the township's texts name them too, and "村" says what kind
                        # of place the matter is in
                        self.places.append((name, dept_pos[c], len(name)))
        # a village named by two townships' texts is no one's
        counts = Counter(name for name, _, _ in self.places)
        self.places = [place for place in self.places if counts[place[0]] == 1]
        # one BM25 "document" per department made of all its texts (terms × departments)
        self.profile = None
        if p.profile_weight and n:
            D = len(self.dept_codes)
            wr = np.asarray(w_rows, dtype=np.int64)
            wc = self.doc_dept[np.asarray(w_cols, dtype=np.int64)]
            br = np.asarray(b_rows, dtype=np.int64)
            bc = self.doc_dept[np.asarray(b_cols, dtype=np.int64)]
            wv = np.asarray(w_vals) * doc_w[np.asarray(w_cols, dtype=np.int64)]
            bv = np.asarray(b_vals) * doc_w[np.asarray(b_cols, dtype=np.int64)]
            wl = np.bincount(wc, weights=wv, minlength=D)
            bl = np.bincount(bc, weights=bv, minlength=D)
            wmat = sparse.coo_matrix((wv, (wr, wc)), shape=(len(word_vocab), D)).tocsr()
            bmat = sparse.coo_matrix((bv, (br, bc)), shape=(len(bi_vocab), D)).tocsr()
            pw = self._bm25_csr(wmat, wl, D, 1.0)
            pb = self._bm25_csr(bmat, bl, D, p.bigram_weight)
            self.profile = sparse.vstack([pw, pb]).tocsr()

        self.phrases = PhraseMatcher(self)
        self.build_seconds = time.perf_counter() - t0
        return self

    def _bm25_csr(self, m, lengths, n_docs, weight):
        m = m.tocoo()
        m.sum_duplicates()
        return self._bm25(m.row, m.col, m.data, lengths, m.shape[0], n_docs, np.full(n_docs, weight))

    def _bm25(self, rows, cols, vals, lengths, n_terms, n_docs, doc_w):
        p = self.params
        if n_docs == 0 or n_terms == 0:
            return sparse.csr_matrix((n_terms, n_docs))
        rows = np.asarray(rows, dtype=np.int64)
        cols = np.asarray(cols, dtype=np.int64)
        tf = np.asarray(vals, dtype=np.float64)
        df = np.bincount(rows, minlength=n_terms).astype(np.float64)
        idf = np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))
        avg = max(lengths.mean(), 1e-9)
        norm = p.k1 * (1.0 - p.b + p.b * lengths / avg)
        w = idf[rows] * tf * (p.k1 + 1.0) / (tf + norm[cols]) * doc_w[cols]
        return sparse.csr_matrix((w, (rows, cols)), shape=(n_terms, n_docs))

    def _add_domain_words(self):
        """Teach the private tokenizer this region's vocabulary."""
        terms: set[str] = set()
        for name in self.departments.values():
            terms.update(x for x in _ITEM_SPLIT_RE.split(normalize(name)) if x)
        for d in self.docs:
            if d.context:
                terms.update(normalize(x) for x in re.split(r"[\s·、，,：:（）()]+", d.context) if x)
            if d.kind == "duty_point":
                terms.update(x for x in re.split(r"[\s·]+", normalize(d.ref)) if x)
            # enumerations "锅炉、压力容器、电梯、起重机械等特种设备": the inner items are terms
            for enum in _ENUM_RE.findall(normalize(d.text)):
                items = enum.split("、")
                last = items[-1]
                trimmed = _ENUM_TRIM_RE.sub("", last)
                # inner items are clean nouns; the first carries its verb, the last its object
                # unless an "等…" tail was cut off
                cand = items[1:-1] + ([trimmed] if trimmed != last else [])
                terms.update(it for it in cand if len(it) <= 6)
        for e in self.lexicon.entries:
            terms.update(e.means)
        for words in self.lexicon.domains.values():
            terms.update(words)
        freq = self.tok.FREQ
        for t in terms:
            if 2 <= len(t) <= 8 and has_cjk(t) and not freq.get(t):
                self.tok.add_word(t, 300)

    # ------------------------------------------------------------------ analysis
    def _analyze(self, text: str, subwords: bool = True) -> tuple[list[str], list[str]]:
        """Words (with dictionary sub-words of long words) and character bigrams of content runs.

        Single characters are not terms: as stand-alone tokens they are either function characters
        or fragments of a word jieba did not know, and their rarity as tokens inflates their IDF.
        The bigram channel covers the words jieba splits into characters.
        """
        text = normalize(text)
        if not text:
            return [], []
        freq = self.tok.FREQ
        words: list[str] = []
        runs: list[str] = []
        run: list[str] = []
        for w in self.tok.cut(text, HMM=False):
            if w in STOP_WORDS or not is_wordlike(w):
                if run:
                    runs.append("".join(run))
                    run = []
                continue
            run.append(w)
            L = len(w)
            if L < 2:
                continue
            words.append(w)
            if L > 2 and subwords:
                for size in range(2, L):
                    for i in range(0, L - size + 1):
                        sub = w[i : i + size]
                        if freq.get(sub) and sub not in STOP_WORDS:
                            words.append(SUBWORD_MARK + sub)
        if run:
            runs.append("".join(run))
        return words, char_bigrams(runs) + [c for run in runs for c in run if has_cjk(c)]

    def _doc_terms(self, text: str) -> tuple[Counter, Counter]:
        """Term frequencies of a document; what it names only to exclude ("进入批发市场…之前",
        "河道管理范围以外的") counts little."""
        text = normalize(text)
        wtf: Counter = Counter()
        btf: Counter = Counter()
        segments = [(text, 1.0)]
        excluded = excluded_spans(text)
        if excluded:
            weights = [1.0] * len(text)
            for a, b in excluded:
                weights[a:b] = [self.params.excluded_tf] * (b - a)
            segments = _runs(text, weights)
        for segment, w in segments:
            words, bigrams = self._analyze(segment)
            for t in words:
                wtf[t.lstrip(SUBWORD_MARK)] += w
            for t in bigrams:
                btf[t] += w
        return wtf, btf

    def _term_ids(self, words, bigrams, weight, acc: dict):
        sw = self.params.subword_weight
        for t in words:
            w = weight
            if t[0] == SUBWORD_MARK:
                t = t[1:]
                w = weight * sw
            i = self.word_vocab.get(t)
            if i is not None:
                acc[i] = acc.get(i, 0.0) + w
        off = self.n_word
        single = self.params.unigram_weight / self.params.bigram_weight
        for t in bigrams:
            i = self.bi_vocab.get(t)
            if i is not None:
                acc[off + i] = acc.get(off + i, 0.0) + (weight if len(t) > 1 else weight * single)

    # ------------------------------------------------------------------ query
    def query_vector(self, text: str) -> dict[int, float]:
        p = self.params
        text = clean_question(text)
        acc: dict[int, float] = {}
        if not text:
            return acc
        tokens = list(self.tok.cut(text, HMM=False))
        hits, spans = self.phrases.match(text, tokens)
        # per-character weight of the question's own words: those inside a matched colloquial
        # phrase count a little less, and so do places named only as the scene of the matter
        # ("学校门口的小推车", "公园旁边的厕所")
        weight = np.ones(len(text))
        for a, b, _ in spans:
            weight[a:b] = np.minimum(weight[a:b], p.covered_weight)
        # a question naming a cross-sector function ("赌博", "灭火器", "交税") asks about it, not
        # about the sector of the place it happens in ("网吧", "KTV", "二手房"); entries naming a
        # place or a party (lexicon weight < 1) only set the scene
        cross = self.lexicon.cross_sector
        entries = self.lexicon.entries
        function = any(entries[k].domain in cross and entries[k].weight == 1 for k in hits)
        demoted = {k for k in hits if function and entries[k].domain not in cross}
        for a, b, k in spans:
            if k in demoted or entries[k].weight < 1:
                weight[a:b] = np.minimum(weight[a:b], p.scene_weight)
        scene = self._scene_spans(tokens) if p.scene_weight != 1.0 else []
        for a, b in scene:
            weight[a:b] = np.minimum(weight[a:b], p.scene_weight)
        # the township or street a question names is weighed through its prior (``_prior``), not
        # as a word: the township's texts say "本镇", and the question is about what happens there
        named = [(m.start(), m.end() - keep) for name, _, keep in self.places for m in re.finditer(re.escape(name), text)]
        for a, b in named:
            weight[a:b] = 0.0
        if spans or scene or named:
            for segment, w in _runs(text, weight.tolist()):
                if w:
                    words, bigrams = self._analyze(segment)
                    self._term_ids(words, bigrams, w, acc)
        else:
            words, bigrams = self._analyze(text)
            self._term_ids(words, bigrams, 1.0, acc)
        for i in list(acc):
            acc[i] = min(acc[i], p.max_qtf)
        domains: dict[str, float] = {}
        for k, (hw, a, b) in hits.items():
            entry = self.lexicon.entries[k]
            ew = p.expansion_weight * hw * entry.weight
            if scene and any(sa <= a and b <= sb for sa, sb in scene):
                ew *= p.scene_weight
            if k in demoted:
                ew *= p.sector_weight
            for i, w in self.phrases.entry_terms[k].items():
                acc[i] = min(acc.get(i, 0.0) + ew * w, p.max_qtf)
            if p.domain_weight and entry.domain in self.phrases.domain_terms:
                domains[entry.domain] = max(domains.get(entry.domain, 0.0), ew)
        for name, ew in domains.items():
            for i, w in self.phrases.domain_terms[name].items():
                acc[i] = min(acc.get(i, 0.0) + p.domain_weight * ew * w, p.max_qtf)
        return acc

    def _scene_spans(self, tokens: list[str]) -> list[tuple[int, int]]:
        """Spans of words that only name where something happens: the word before 门口/旁边/附近…"""
        out = []
        pos = 0
        prev = None
        for w in tokens:
            if w in _SCENE_WORDS and prev is not None and len(prev[2]) >= 2 and prev[2] not in STOP_WORDS:
                out.append((prev[0], prev[1]))
            prev = (pos, pos + len(w), w)
            pos += len(w)
        return out

    def _query_terms(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Term rows and weights of the question."""
        acc = self.query_vector(text)
        idx = np.fromiter(acc.keys(), dtype=np.int64, count=len(acc))
        val = np.fromiter(acc.values(), dtype=np.float64, count=len(acc))
        return idx, val

    def _doc_scores(self, idx: np.ndarray, val: np.ndarray) -> np.ndarray:
        n = len(self.docs)
        if idx.size == 0 or n == 0:
            return np.zeros(n)
        scores = _row_combination(self.matrix, idx, val, n)
        if self.params.norm_power:
            scores *= self.doc_scale
        return scores

    def doc_scores(self, text: str) -> np.ndarray:
        return self._doc_scores(*self._query_terms(text))

    def search(self, text: str, limit: int = 5) -> list[Result]:
        if not text or not isinstance(text, str):
            return []
        acc = self.query_vector(text)
        named = self._named(normalize(text))
        prior = self._prior(named)
        # a township the question names is looked for further down, to keep it among the first three
        wide = max(limit, 30) if named else limit
        ranked = self._rank_understood(acc, wide, prior)
        if ranked is None and self.params.fallback_weight:
            extra = self.phrases.fallback_terms(clean_question(text))
            if extra:
                for i, w in extra.items():
                    acc[i] = min(acc.get(i, 0.0) + w, self.params.max_qtf)
                ranked = self._rank_understood(acc, wide, prior)
        if not ranked:
            return []
        if named:
            ranked = _keep_named(ranked, named, NAMED_PLACE_RANK)
        out = []
        for s, di, js in ranked[:limit]:
            code = self.dept_codes[di]
            ev = [Evidence(self.docs[j].kind, self.docs[j].text, self.docs[j].ref) for j in js[:3]]
            best = self.docs[js[0]]
            r = Result(code, self.departments[code], round(float(s), 4), ev)
            if best.kind == "duty_point":
                r.lead = best.lead
                r.support = list(best.support)
            out.append(r)
        return out

    def _rank_understood(self, acc, limit, prior):
        """``_rank``, but a question is understood only by its words, bigrams and lexicon terms:
        single characters support a match and never make one ("我爱北京天安门")."""
        words = {i: v for i, v in acc.items() if i not in self.single}
        if len(words) < len(acc) and self._rank(words, 1, prior) is None:
            return None
        return self._rank(acc, limit, prior)

    def _named(self, text: str) -> list[int]:
        """Positions of the townships and streets the question names by their place or a village."""
        return list(dict.fromkeys(di for name, di, _ in self.places if name in text))

    def _prior(self, named: list[int]) -> np.ndarray:
        """Department priors for this question: a township or street the question names by its place
        ("禾西镇村里的垃圾没人收") is not damped but favoured."""
        if not named:
            return self.dept_prior
        prior = self.dept_prior.copy()
        prior[named] = self.params.named_place
        return prior

    def _rank(
        self, acc: dict[int, float], limit: int, prior: np.ndarray
    ) -> list[tuple[float, int, list[int]]] | None:
        """Best departments as (score, department position, its best documents); None when the
        question is not understood (nothing, or too weak a match)."""
        p = self.params
        qidx = np.fromiter(acc.keys(), dtype=np.int64, count=len(acc))
        qval = np.fromiter(acc.values(), dtype=np.float64, count=len(acc))
        scores = self._doc_scores(qidx, qval)
        if scores.size == 0:
            return None
        k = min(p.top_docs, scores.size)
        top = np.argpartition(-scores, k - 1)[:k] if k < scores.size else np.arange(scores.size)
        top = top[scores[top] > 0]
        if top.size == 0:
            return None
        top = top[np.argsort(-scores[top], kind="stable")]
        # department = best document + damping × 2nd + damping² × 3rd … (vectorised)
        dd = self.doc_dept[top]
        order = np.argsort(dd, kind="stable")  # grouped by department, best document first
        ds = dd[order]
        first = np.ones(ds.size, dtype=bool)
        first[1:] = ds[1:] != ds[:-1]
        pos = np.arange(ds.size)
        rank = pos - np.maximum.accumulate(np.where(first, pos, 0))
        keep = rank < p.agg_docs
        sel, dsel, rk = top[order][keep], ds[keep], rank[keep]
        D = len(self.dept_codes)
        dscore = np.bincount(dsel, weights=scores[sel] * p.damping ** rk, minlength=D) * prior
        present = np.zeros(D, dtype=bool)
        present[dsel] = True
        n = len(self.docs)
        floor = p.min_score * math.log(1.0 + (n - 0.5) / 1.5)
        top_s = float(dscore.max())
        if top_s < floor:
            return None
        if self.profile is not None:
            # the department's texts taken together: many weak matches spread over several
            # documents also count
            prof = _row_combination(self.profile, qidx, qval, D) * prior
            pm = float(prof[present].max())
            if pm > 0:
                dscore = dscore + p.profile_weight * top_s * prof / pm
        cands = np.flatnonzero(present)
        cands = cands[np.lexsort((cands, -dscore[cands]))][:limit]
        ranked = []
        for di in cands.tolist():
            ranked.append((float(dscore[di]), di, sel[dsel == di].tolist()))
        return ranked

# the peoples a 民族乡 or 民族镇 is named after
_PEOPLES = ("蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 "
            "景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 "
            "德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺").split()
_ETHNIC_RE = re.compile(f"(?:(?:{'|'.join(sorted(_PEOPLES, key=len, reverse=True))})族)+(?=(?:乡|镇)$)")

# where a township the question names stands at worst, when its texts match the question at all:
# what happens in a place is that place's government's concern too (属地管理), so the township is
# a fair second opinion even where a city department's words match better
NAMED_PLACE_RANK = 3


def _keep_named(ranked, named, rank):
    """``ranked`` with the best-placed named township moved up to position ``rank`` if it is below."""
    at = next((i for i, (_, di, _) in enumerate(ranked) if di in named), None)
    if at is None or at < rank:
        return ranked
    return ranked[:rank - 1] + [ranked[at]] + [r for i, r in enumerate(ranked[rank - 1:], rank - 1) if i != at]


def _runs(text: str, weights: list[float]):
    """``(segment, weight)`` for the runs of characters of ``text`` with the same weight."""
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or weights[i] != weights[start]:
            yield text[start:i], weights[start]
            start = i


def _row_combination(m: sparse.csr_matrix, rows: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    """``weights @ m[rows]`` as a dense vector of length ``n`` (cheaper than a sparse product)."""
    start = m.indptr[rows]
    length = m.indptr[rows + 1] - start
    total = int(length.sum())
    if total == 0:
        return np.zeros(n)
    # positions of all stored entries of the selected rows
    offs = np.repeat(start - np.concatenate(([0], np.cumsum(length)[:-1])), length)
    pos = np.arange(total) + offs
    return np.bincount(m.indices[pos], weights=m.data[pos] * np.repeat(weights, length), minlength=n)
