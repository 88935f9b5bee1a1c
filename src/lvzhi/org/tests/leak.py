import datetime as dt

from lvzhi.org.models import BoundaryClause, InternalUnit, Mandate, MandateDuty, StaffingActual, StaffingQuota


def populate(department, user, marker):
    old = Mandate.objects.create(department=department, title=f"{marker}旧三定", is_current=False)
    mandate = Mandate.objects.create(department=department, title=f"{marker}三定规定", doc_no="示办发〔2019〕1号")
    old.superseded_by = mandate
    old.save()
    MandateDuty.objects.create(mandate=mandate, number=1, text=f"负责{marker}相关工作。")
    BoundaryClause.objects.create(mandate=mandate, topic=f"{marker}分工", text=f"{marker}负责……")
    InternalUnit.objects.create(mandate=mandate, name=f"{marker}科", duties=f"负责{marker}")
    StaffingQuota.objects.create(mandate=mandate, administrative=10, leader_head=1)
    StaffingActual.objects.create(department=department, as_of=dt.date(2026, 1, 1), administrative=12)
