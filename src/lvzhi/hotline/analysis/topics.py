"""急难愁盼 hot topics of a period: what citizens ask about most.

Tickets of the period are sampled evenly by id (segmenting millions of requests per page view
would not answer in time), segmented with jieba, stop-worded (place names and times cut), and the
frequent words are grouped: a word that mostly occurs together with a more frequent word joins
that word's topic. A topic's count is the sampled tickets mentioning any of its words, scaled back
to the period.
"""

from collections import Counter

from django.db.models import F
from django.db.models.functions import Mod

from .text import Places, words

MIN_TICKETS = 3
JOIN_SHARE = 0.5
CANDIDATES = 80


def sample(tickets, size):
    total = tickets.count()
    step = max(1, -(-total // size))
    rows = tickets.annotate(slot=Mod(F("pk"), step)).filter(slot=0) if step > 1 else tickets
    return total, list(rows.order_by().values_list("pk", "ticket_no", "content", "address")[:size])


def hot_topics(tickets, rules, top=None):
    """``{"total", "sampled", "topics": [{"words", "count", "share", "examples": [(pk, no, text)]}]}``."""
    top = top or rules.topic_top
    total, rows = sample(tickets, rules.topic_sample)
    if not rows:
        return {"total": total, "sampled": 0, "topics": []}
    places = Places(address for _, _, _, address in rows)
    found = [set(words(content, rules, address, places)) for _, _, content, address in rows]
    df = Counter()
    for terms in found:
        df.update(terms)
    candidates = [w for w, n in df.most_common(CANDIDATES) if n >= MIN_TICKETS]
    holders = {w: {i for i, terms in enumerate(found) if w in terms} for w in candidates}
    topics, taken = [], set()
    for head in candidates:
        if head in taken:
            continue
        group = [head]
        taken.add(head)
        for other in candidates:
            if other in taken:
                continue
            if len(holders[other] & holders[head]) >= JOIN_SHARE * len(holders[other]):
                group.append(other)
                taken.add(other)
        covered = set().union(*(holders[w] for w in group))
        topics.append((group, covered))
    scale = total / len(rows)
    topics.sort(key=lambda t: -len(t[1]))
    out = []
    for group, covered in topics[:top]:
        examples = [rows[i] for i in sorted(covered)[:3]]
        out.append({
            "words": group[:5], "count": round(len(covered) * scale), "share": round(len(covered) * 100 / len(rows), 1),
            "examples": [(pk, no, content) for pk, no, content, _ in examples],
        })
    return {"total": total, "sampled": len(rows), "topics": out}
