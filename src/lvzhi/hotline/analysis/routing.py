"""A routing model learned from historical tickets: which department finally handled requests
worded like this one.

Multinomial naive Bayes over character bigrams and trigrams of the request (its address
removed), with Laplace-style smoothing; terms seen in a single ticket are dropped. It trains in
seconds on tens of thousands of tickets with numpy/scipy and stores as a compact sparse matrix.
"""

import io
import math
import re

import numpy as np
from scipy import sparse

_NON_CJK = re.compile(r"[^\u4e00-\u9fff]+")
ALPHA = 0.1


def features(text, address=""):
    if address:
        text = text.replace(address, " ")
    out = []
    for run in _NON_CJK.split(text):
        n = len(run)
        out.extend(run[i:i + 2] for i in range(n - 1))
        out.extend(run[i:i + 3] for i in range(n - 2))
    return out


class NaiveBayes:
    def __init__(self, vocab, counts, totals, priors, classes):
        self.vocab = vocab  # term -> column
        self.counts = counts.tocsc()  # classes × terms
        self.totals = totals  # per class
        self.priors = priors  # log prior per class
        self.classes = list(classes)  # department ids
        width = max(len(vocab), 1)
        self.denominator = np.log(self.totals + ALPHA * width)

    @classmethod
    def train(cls, texts, labels, addresses=None):
        classes = sorted(set(labels))
        position = {c: i for i, c in enumerate(classes)}
        docs = [set(features(t, addresses[i] if addresses else "")) for i, t in enumerate(texts)]
        df = {}
        for terms in docs:
            for term in terms:
                df[term] = df.get(term, 0) + 1
        vocab = {}
        for term, n in df.items():
            if n > 1:
                vocab[term] = len(vocab)
        rows, cols = [], []
        for i, terms in enumerate(docs):
            row = position[labels[i]]
            for term in terms:
                col = vocab.get(term)
                if col is not None:
                    rows.append(row)
                    cols.append(col)
        counts = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                                   shape=(len(classes), max(len(vocab), 1)))
        totals = np.asarray(counts.sum(axis=1)).ravel().astype(np.float64)
        per_class = np.bincount([position[c] for c in labels], minlength=len(classes)).astype(np.float64)
        priors = np.log(per_class / per_class.sum())
        return cls(vocab, counts, totals, priors, classes)

    def scores(self, text, address=""):
        cols = sorted({self.vocab[t] for t in features(text, address) if t in self.vocab})
        if not cols:
            return None
        hits = self.counts[:, cols].toarray()
        return self.priors + (np.log(hits + ALPHA) - self.denominator[:, None]).sum(axis=1), len(cols)

    def rank(self, text, address="", top=3):
        """``[(department id, probability)]`` best first; probabilities tempered by the evidence size."""
        got = self.scores(text, address)
        if got is None:
            return []
        scores, n = got
        scaled = (scores - scores.max()) / math.sqrt(n)
        probs = np.exp(scaled)
        probs /= probs.sum()
        order = np.argsort(-probs, kind="stable")[:top]
        return [(self.classes[i], float(probs[i])) for i in order]

    def dumps(self):
        buffer = io.BytesIO()
        counts = self.counts.tocsr()
        terms = "\x1f".join(sorted(self.vocab, key=self.vocab.get))
        np.savez_compressed(buffer, data=counts.data, indices=counts.indices, indptr=counts.indptr,
                            shape=np.array(counts.shape), totals=self.totals, priors=self.priors,
                            classes=np.array(self.classes, dtype=np.int64),
                            terms=np.frombuffer(terms.encode(), dtype=np.uint8))
        return buffer.getvalue()

    @classmethod
    def loads(cls, payload):
        data = np.load(io.BytesIO(bytes(payload)))
        counts = sparse.csr_matrix((data["data"], data["indices"], data["indptr"]), shape=tuple(data["shape"]))
        text = data["terms"].tobytes().decode()
        vocab = {t: i for i, t in enumerate(text.split("\x1f"))} if text else {}
        return cls(vocab, counts, data["totals"], data["priors"], data["classes"].tolist())
