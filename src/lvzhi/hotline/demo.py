"""Demo data for 示范市: a year of synthetic 12345 tickets with returns, imported through the
importer, grouped into dispute subjects, one of them decided, and the routing model trained."""

import datetime as dt
import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from lvzhi.core.audit import origin
from lvzhi.org.models import Department

from . import services
from .models import ImportRun, Ticket
from .synthetic import Generator, write_csv

DEMO_TICKETS = 3000


def load_demo(stdout):
    if Ticket.objects.exists() or not Department.objects.filter(code="SCJGJ").exists():
        return
    staff = get_user_model().objects.filter(username="staff").first()
    start = timezone.localdate() - dt.timedelta(days=365)
    with tempfile.TemporaryDirectory() as folder, origin("命令 demo"):
        tickets, returns = Path(folder, "12345工单.csv"), Path(folder, "12345退单.csv")
        write_csv(tickets, returns, DEMO_TICKETS, generator=Generator(seed=2026, start=start, days=365))
        run, outcome = services.import_paths(None, tickets, returns, source=ImportRun.Source.DEMO)
        groups = services.group_disputes(None)
        decided = _decide_one(staff)
        trained = services.train_routing(None)
    stdout.write(f"12345热线：演示工单 {outcome.tickets.created} 件、退单 {outcome.returns.created} 条，"
                 f"争议事项 {groups['subjects']} 个（已认定 {decided} 个），派单建议模型样本 {trained.samples} 件")


def _decide_one(staff):
    """Decide the most returned subject the way the office would, citing the finder's duty point."""
    from .models import Dispute

    dispute = Dispute.objects.filter(duty_point__isnull=False).order_by("-return_count").first()
    if dispute is None or staff is None:
        return 0
    point = dispute.duty_point
    services.decide(
        staff, dispute, lead=point.lead, support=list(point.support.all()), basis_point=point,
        basis_text=point.basis, reasoning=f"依据职责边界清单“{point.link.matter.name}”，该类诉求由{point.lead.label}牵头办理。",
        keywords=dispute.keywords, open_problem=False,
    )
    return 1
