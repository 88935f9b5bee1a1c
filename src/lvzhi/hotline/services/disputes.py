"""退单争议事项: grouping returned tickets into subjects.

A ticket returned at least once is disputed. Unassigned disputed tickets are compared, by
TF-IDF cosine over character bigrams and words (where and when cut out), with the existing
subjects' signatures; the ones that fit no subject are clustered among themselves in one pass
(each joins the most similar growing group, or starts one). Each new subject asks the finder,
with the wording of its most typical ticket, which duty point and departments it points to; a
duty point whose wording fits the subject is linked, names the subject (its matter), and a new
subject on the same duty point as an existing one joins it — one duty point, one question of
responsibility for the office to decide. Decided subjects keep their tickets and keep attracting
new ones.
"""

from collections import Counter

from django.db import transaction
from django.db.models import Count, Exists, F, Max, Min, OuterRef
from django.db.models.functions import Mod

from lvzhi.core.audit import origin

from .. import finder
from ..analysis.text import Groups, Places, Vectorizer, bigrams, centroid, clean, cosine, keywords, merge_signatures
from ..models import Dispute, Ticket, TicketReturn
from ..rules import current_rules
from .common import require_hotline

CHUNK = 2000
IDF_SAMPLE = 20000


def _sample():
    """An even sample of tickets' ``(content, address)``: the text statistics and the city's place names."""
    total = Ticket._base_manager.count()
    step = max(1, total // IDF_SAMPLE)
    qs = Ticket._base_manager.annotate(slot=Mod(F("pk"), step)).filter(slot=0) if step > 1 else Ticket._base_manager
    return list(qs.values_list("content", "address")[:IDF_SAMPLE])


def _fit(matrix, width):
    matrix.resize((matrix.shape[0], width))
    return matrix


def group_disputes(user=None, progress=None):
    """Assign every unassigned disputed ticket to a subject; returns counts."""
    require_hotline(user, "归并争议事项")
    rules = current_rules()
    disputed = Ticket._base_manager.filter(dispute__isnull=True).filter(
        Exists(TicketReturn._base_manager.filter(ticket=OuterRef("pk"))))
    todo = disputed.count()
    result = {"assigned": 0, "created": 0, "subjects": Dispute.objects.count()}
    if not todo:
        return result
    sample = _sample()
    vectorizer = Vectorizer([text for text, _ in sample], rules, Places(address for _, address in sample))
    subjects = list(Dispute._base_manager.values_list("pk", "signature", "ticket_count"))
    ids = [pk for pk, _, _ in subjects]
    signatures = [sig for _, sig, _ in subjects]
    counts = {pk: n for pk, _, n in subjects}
    grown, created, touched = {}, [], set()  # new members' summed vectors per existing subject
    pending = list(disputed.order_by("received_at", "pk").values_list("pk", flat=True))
    with origin("归并退单争议事项"), transaction.atomic():
        for start in range(0, len(pending), CHUNK):
            chunk = list(Ticket._base_manager.filter(pk__in=pending[start:start + CHUNK]).order_by(
                "received_at", "pk").values_list("pk", "content", "address"))
            vectors = [vectorizer.weights(text, address) for _, text, address in chunk]
            owner = [None] * len(chunk)
            if ids:
                matrix, known = vectorizer.matrix(vectors), vectorizer.matrix(signatures)
                width = max(matrix.shape[1], known.shape[1])
                sims = (_fit(matrix, width) @ _fit(known, width).T).toarray()
                for i, j in enumerate(sims.argmax(axis=1)):
                    if sims[i, j] >= rules.similarity:
                        owner[i] = ids[j]
            groups = Groups(rules.similarity)
            for i, pk in enumerate(owner):
                if pk is None:
                    groups.add(i, vectors[i])
            for members in groups.members:
                subject = _new_subject([chunk[i] for i in members], [vectors[i] for i in members], rules,
                                       vectorizer)
                created.append(subject.pk)
                ids.append(subject.pk)
                signatures.append(subject.signature)
                for i in members:
                    owner[i] = subject.pk
            members = {}
            for i, pk in enumerate(owner):
                members.setdefault(pk, []).append(i)
            for pk, rows in members.items():
                Ticket._base_manager.filter(pk__in=[chunk[i][0] for i in rows]).update(dispute_id=pk)
                touched.add(pk)
                if pk in counts:
                    total = grown.setdefault(pk, Counter())
                    for i in rows:
                        total.update(vectors[i])
            if progress:
                progress(min(start + CHUNK, len(pending)), len(pending))
        for pk, total in grown.items():
            signature = merge_signatures(signatures[ids.index(pk)], counts[pk], [dict(total)])
            Dispute._base_manager.filter(pk=pk).update(signature=signature)
        merged = _merge_same_point(created)
        refresh_subjects([pk for pk in touched if pk not in merged])
    result.update(assigned=todo, created=len(created) - len(merged), subjects=Dispute.objects.count())
    return result


def _new_subject(rows, vectors, rules, vectorizer):
    signature = centroid(vectors)
    places = vectorizer.places
    words = keywords([text for _, text, _ in rows[:30]], rules, top=6,
                     addresses=[address for _, _, address in rows[:30]], places=places)
    # The member closest to the subject's centre speaks for it to the finder.
    typical = max(range(len(rows)), key=lambda i: cosine(vectors[i], signature))
    leader = " ".join(clean(rows[typical][1], rows[typical][2], places).split())
    results = finder.search(leader, 5)
    point = _fitting_point(results, signature, vectorizer, rules)
    name = point.link.matter.name if point else _fitting_topic(results, signature)
    subject = Dispute.objects.create(
        title=_title(name, words, leader), keywords=" ".join(words[:4])[:200], signature=signature,
        finder=[{k: r.get(k) for k in ("department", "name", "score", "lead", "support") if k in r}
                for r in results[:3]],
        duty_point=point, matter=point.link.matter if point else None,
    )
    subject.number = f"ZY{subject.created_at:%Y}-{subject.pk:05d}"
    subject.save(update_fields=["number"])
    return subject


def _fitting_point(results, signature, vectorizer, rules):
    """The duty point, among those the finder points to, whose wording (with its matter's name) is
    most like the subject's, weighted by the finder's confidence in its lead department — if that
    reaches ``point_similarity``. The finder read one ticket; the subject's signature is all of them."""
    best, score = None, rules.point_similarity
    for point, weight in finder.duty_points(results):
        fit = weight * cosine(vectorizer.weights(f"{point.link.matter.name} {point.text}"), signature)
        if fit >= score and len(set(bigrams(point.text)) & set(signature)) >= 2:
            best, score = point, fit
    return best


def _fitting_topic(results, signature):
    """The topic of the boundary clause the finder's best result rests on, if it shares the subject's wording."""
    topic = finder.clause_topic(results[0]) if results else ""
    return topic if topic and set(bigrams(topic)) & set(signature) else ""


def _title(name, words, leader):
    """``matter or clause topic：key words`` — or the key words, or the typical request itself."""
    words = [w for w in words if w not in name][:3 if name else 4]
    if name:
        return f"{name}：{'、'.join(words)}"[:200] if words else name[:200]
    return "、".join(words) if words else leader[:30]


def _merge_same_point(created):
    """New subjects on the same duty point as an older subject join it; returns the merged ids."""
    merged = []
    for subject in Dispute._base_manager.filter(pk__in=created, duty_point__isnull=False).order_by("pk"):
        target = Dispute._base_manager.filter(duty_point=subject.duty_point, pk__lt=subject.pk).exclude(
            pk__in=merged).order_by("pk").first()
        if target is not None:
            joining = Ticket._base_manager.filter(dispute=subject)
            weight = joining.count()
            target.signature = merge_signatures(target.signature, Ticket._base_manager.filter(dispute=target).count(),
                                                [{t: w * weight for t, w in subject.signature.items()}])
            target.save(update_fields=["signature"])
            joining.update(dispute=target)
            subject.delete()
            merged.append(subject.pk)
            refresh_subjects([target.pk])
    return merged


def refresh_subjects(ids):
    """Recount tickets, returns and dates, and reset the departments involved, of the given subjects."""
    if not ids:
        return
    tickets = Ticket._base_manager.filter(dispute_id__in=ids)
    stats = {row["dispute_id"]: row for row in tickets.values("dispute_id").annotate(
        n=Count("pk"), first=Min("received_at"), last=Max("received_at"))}
    returns = dict(TicketReturn._base_manager.filter(ticket__dispute_id__in=ids).values_list("ticket__dispute_id")
                   .annotate(n=Count("pk")))
    involved = set(TicketReturn._base_manager.filter(ticket__dispute_id__in=ids, from_department__isnull=False)
                   .values_list("ticket__dispute_id", "from_department_id").distinct())
    involved |= set(tickets.filter(handler__isnull=False).values_list("dispute_id", "handler_id").distinct())
    through = Dispute.departments.through
    through.objects.filter(dispute_id__in=ids).delete()
    through.objects.bulk_create([through(dispute_id=d, department_id=p) for d, p in sorted(involved)])
    for pk in ids:
        row = stats.get(pk, {})
        Dispute._base_manager.filter(pk=pk).update(
            ticket_count=row.get("n", 0), return_count=returns.get(pk, 0), first_at=row.get("first"),
            last_at=row.get("last"))
