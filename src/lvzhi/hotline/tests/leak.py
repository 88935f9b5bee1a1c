"""One record of every model of the hotline app for ``department`` (see tests/test_isolation.py)."""

import datetime as dt

from ..importer.checks import fingerprint
from ..models import DepartmentAlias, Dispute, DisputeDecision, ImportRun, Ticket, TicketReturn
from ..resolver import name_key

WHEN = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.timezone.utc)


def populate(department, user, marker):
    dispute = Dispute.objects.create(number=f"ZY-{department.code}", title=f"{marker}争议事项", keywords=marker)
    dispute.departments.set([department])
    ticket = Ticket.objects.create(
        ticket_no=f"LEAK-{department.code}", received_at=WHEN, month=202603, received_wd=9000, content=f"{marker}的诉求",
        address=f"{marker}路1号", handler=department, handler_name=department.name, closed_at=WHEN, closed_wd=9001,
        result=f"{marker}已办结", satisfaction="satisfied", dispute=dispute,
    )
    TicketReturn.objects.create(
        ticket=ticket, returned_at=WHEN, from_department=department, from_name=department.name,
        reason=f"{marker}退单理由", to_name="", key_hash=fingerprint(ticket.ticket_no, marker),
    )
    DepartmentAlias.objects.create(alias=f"{marker}别名", key=name_key(f"{marker}别名"), department=department,
                                   note=marker)
    decision = DisputeDecision.objects.create(
        dispute=dispute, lead=department, basis_text=f"{marker}依据", reasoning=f"{marker}认定理由",
        keywords=marker, decided_on=dt.date(2026, 3, 3),
    )
    decision.support.set([department])
    ImportRun.objects.create(source=ImportRun.Source.UPLOAD, status=ImportRun.Status.REFUSED,
                             tickets_name=f"{marker}.csv", created_by=user, report={"lines": [marker]})
