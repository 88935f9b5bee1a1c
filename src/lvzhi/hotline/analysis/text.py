"""Text features of tickets: character bigrams of Chinese runs, TF-IDF vectors, keywords.

Bigrams survive the many ways citizens word the same thing (and need no dictionary); the
ticket's own address is removed first so two requests about one subject in different streets
still look alike.
"""

import logging
import math
import re
import threading
from collections import Counter

from scipy import sparse

_NON_CJK = re.compile(r"[^\u4e00-\u9fff]+")
WORD = "\x01"
_lock = threading.Lock()
_jieba = {}


def bigrams(text, address=""):
    if address:
        text = text.replace(address, " ")
    out = []
    for run in _NON_CJK.split(text):
        out.extend(run[i:i + 2] for i in range(len(run) - 1))
    return out


def features(text, rules, address=""):
    """Character bigrams plus jieba words (marked, so a word and a bigram never collide)."""
    return bigrams(text, address) + [WORD + w for w in words(text, rules, address)]


class Vectorizer:
    """TF-IDF over ``features`` with document frequencies from a sample of tickets; words weigh
    double. Rows are L2-normalised."""

    def __init__(self, sample_texts, rules):
        self.rules = rules
        df = Counter()
        for text in sample_texts:
            df.update(set(features(text, rules)))
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
        counts = Counter(features(text, self.rules, address))
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


def words(text, rules, address=""):
    """Content words of ``text``: jieba words of two or more Chinese characters, minus stop words."""
    if address:
        text = text.replace(address, " ")
    stop = rules.stop_words
    return [w for w in tokenizer(rules.words).lcut(text, HMM=False)
            if len(w) >= 2 and w not in stop and not _NON_CJK.search(w)]


def keywords(texts, rules, top=4, addresses=None):
    """The words that best characterise ``texts`` (frequency across texts × rarity in jieba's dictionary)."""
    tok = tokenizer(rules.words)
    counts = Counter()
    for i, text in enumerate(texts):
        counts.update(set(words(text, rules, addresses[i] if addresses else "")))
    total = tok.total or 1
    scored = {w: n * math.log(total / (tok.FREQ.get(w) or 1)) for w, n in counts.items()}
    return [w for w, _ in sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]


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
