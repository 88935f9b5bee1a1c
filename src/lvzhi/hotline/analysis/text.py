"""Text features of tickets: character bigrams of Chinese runs, TF-IDF vectors, keywords.

Bigrams survive the many ways citizens word the same thing (and need no dictionary). Where and
when are cut first — the ticket's own address, the city's place names (learned from the addresses
of its tickets), house numbers, clock times and durations — so two requests about one subject in
different streets or at different hours still look alike, and a subject is never named after a
street or an hour.
"""

import logging
import math
import re
import threading
from collections import Counter

from scipy import sparse

_NON_CJK = re.compile(r"[^\u4e00-\u9fff]+")
_NUMERAL = "0-9０-９零〇一二两三四五六七八九十百几半"
# When and how often, not what: 十点半, 5月6日, 三个月, 半小时, 好几天, 四次; house numbers: 12号楼, 3单元.
WHEN_AND_NUMBERS = re.compile(
    r"[0-9０-９]+(?:号楼|栋|幢|单元|室|层|楼)"
    rf"|[{_NUMERAL}]+(?:点|时)(?:半|钟|多|左右|以后|之后|以前|前后)?"
    rf"|[{_NUMERAL}]+(?:个多?|多个?)?(?:小时|分钟|钟头|月|星期|周|天|年|日|号|次|回)(?!级)(?:多|以来)?"
)
# Where an address's parts end: 东城区｜东关街道｜人民路123号, 柳庄镇｜阳光花园3号楼.
_PLACE_END = re.compile(r"街道|社区|大街|大道|胡同|小区|花园|家园|新村|公寓|大厦|广场|省|市|区|县|镇|乡|村|路|街|巷")
MIN_PLACE = 3  # shorter pieces (小区, 花园) are ordinary words
WORD = "\x01"
_lock = threading.Lock()
_jieba = {}


def place_names(address):
    """The place names in an address: ``东城区东关街道人民路123号`` → 东城区, 东关街道, 人民路; the
    piece after the last suffix is a name too (``柳庄镇御景湾5号楼`` → 柳庄镇, 御景湾)."""
    names = []
    for chunk in _NON_CJK.split(address or ""):
        start = 0
        for m in _PLACE_END.finditer(chunk):
            if m.end() - start >= MIN_PLACE:
                names.append(chunk[start:m.end()])
            start = m.end()
        if len(chunk) - start >= MIN_PLACE:
            names.append(chunk[start:])
    return names


class Places:
    """The city's place names, learned from tickets' addresses, cut out of request texts."""

    def __init__(self, addresses=()):
        self.names = {name for address in addresses for name in place_names(address)}
        self.pattern = re.compile(_trie(self.names)) if self.names else None

    def cut(self, text):
        return self.pattern.sub(" ", text) if self.pattern else text


def _trie(words):
    """A regular expression matching any of ``words``, longest first, nested by common prefix: a
    plain alternation of thousands of names tries each at every position and is ~15 times slower."""
    root = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node):
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body

    return pattern(root)


def clean(text, address="", places=None):
    """``text`` without where and when: its own address, known place names, numbers of houses, times."""
    if address:
        text = text.replace(address, " ")
    if places is not None:
        text = places.cut(text)
    return WHEN_AND_NUMBERS.sub(" ", text)


def _pairs(text):
    out = []
    for run in _NON_CJK.split(text):
        out.extend(run[i:i + 2] for i in range(len(run) - 1))
    return out


def bigrams(text, address="", places=None):
    return _pairs(clean(text, address, places))


def features(text, rules, address="", places=None):
    """Character bigrams plus jieba words (marked, so a word and a bigram never collide)."""
    text = clean(text, address, places)
    return _pairs(text) + [WORD + w for w in _content_words(text, rules)]


class Vectorizer:
    """TF-IDF over ``features`` with document frequencies from a sample of tickets; words weigh
    double. Rows are L2-normalised. ``places`` are cut from every text."""

    def __init__(self, sample_texts, rules, places=None):
        self.rules = rules
        self.places = places
        df = Counter()
        for text in sample_texts:
            df.update(set(features(text, rules, places=places)))
        self.documents = max(len(sample_texts), 1)
        self.vocab = {}
        self.idf = []
        for term, n in df.items():
            self.vocab[term] = len(self.idf)
            self.idf.append(math.log((1 + self.documents) / (1 + n)) + 1)
        self.default_idf = math.log(1 + self.documents) + 1

    def index(self, term):
        """The column of ``term``, adding an unseen term with the highest weight."""
        found = self.vocab.get(term)
        if found is None:
            found = self.vocab[term] = len(self.idf)
            self.idf.append(self.default_idf)
        return found

    def weights(self, text, address=""):
        counts = Counter(features(text, self.rules, address, self.places))
        vector = {t: (1 + math.log(n)) * self.idf[self.index(t)] * (2 if t[0] == WORD else 1)
                  for t, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {t: v / norm for t, v in vector.items()}

    def matrix(self, vectors):
        """CSR rows from ``{term: weight}`` dicts (ticket vectors or subject signatures)."""
        rows, cols, vals = [], [], []
        for i, vector in enumerate(vectors):
            for term, weight in vector.items():
                rows.append(i)
                cols.append(self.index(term))
                vals.append(weight)
        return sparse.csr_matrix((vals, (rows, cols)), shape=(len(vectors), len(self.idf)))


def centroid(vectors, keep=40):
    """The normalised mean of ``{term: weight}`` vectors, keeping the ``keep`` strongest terms."""
    total = Counter()
    for vector in vectors:
        total.update(vector)
    top = total.most_common(keep)
    norm = math.sqrt(sum(v * v for _, v in top)) or 1.0
    return {t: round(v / norm, 5) for t, v in top}


def merge_signatures(old, old_count, new_vectors, keep=40):
    """A subject's signature after ``new_vectors`` join its ``old_count`` tickets."""
    total = Counter({t: w * old_count for t, w in old.items()})
    for vector in new_vectors:
        total.update(vector)
    return centroid([dict(total)], keep)


def cosine(a, b):
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def tokenizer(domain=()):
    """A private jieba tokenizer (the main dictionary loads once per process) that keeps the
    ``domain`` words whole."""
    with _lock:
        if "tok" not in _jieba:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tok = jieba.Tokenizer()
            tok.initialize()
            _jieba["tok"] = tok
        tok = _jieba["tok"]
        for word in domain:
            if not tok.FREQ.get(word):
                tok.add_word(word, 2000)
        return tok


def words(text, rules, address="", places=None):
    """Content words of ``text``: jieba words of two or more Chinese characters, minus stop words
    (and minus where and when, see ``clean``)."""
    return _content_words(clean(text, address, places), rules)


def _content_words(text, rules):
    stop = rules.stop_words
    return [w for w in tokenizer(rules.words).lcut(text, HMM=False)
            if len(w) >= 2 and w not in stop and not _NON_CJK.search(w)]


def keywords(texts, rules, top=4, addresses=None, places=None):
    """The words that best characterise ``texts`` (frequency across texts × rarity in jieba's
    dictionary), among those in at least half of them when there are such: a word in a few of many
    texts is a detail of those (a shop, a company), not of the subject."""
    tok = tokenizer(rules.words)
    counts = Counter()
    for i, text in enumerate(texts):
        counts.update(set(words(text, rules, addresses[i] if addresses else "", places)))
    total = tok.total or 1
    scored = {w: n * math.log(total / (tok.FREQ.get(w) or 1)) for w, n in counts.items()}
    ranked = [w for w, _ in sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))]
    common = [w for w in ranked if counts[w] * 2 >= len(texts)]
    return (common or ranked)[:top]


class Groups:
    """Single-pass clustering: each vector joins the group whose centroid it is most similar to
    (at least ``threshold``), or starts a new group. Centroids grow as members join, so a group
    gathers the wording its members share."""

    def __init__(self, threshold):
        self.threshold = threshold
        self.sums, self.norms, self.members = [], [], []

    def add(self, index, vector):
        best, score = None, self.threshold
        for g, total in enumerate(self.sums):
            similarity = sum(w * total.get(t, 0.0) for t, w in vector.items()) / self.norms[g]
            if similarity >= score:
                best, score = g, similarity
        if best is None:
            self.sums.append(Counter(vector))
            self.norms.append(1.0)
            self.members.append([index])
            return
        self.sums[best].update(vector)
        self.norms[best] = math.sqrt(sum(v * v for v in self.sums[best].values()))
        self.members[best].append(index)
