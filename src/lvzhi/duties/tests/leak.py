"""One record of every duties model for ``department`` (the access-leak test, tests/test_isolation.py).

Everything here is unpublished (a draft edition, a draft adjustment, a matter not on the public
site), so the public routes, which the leak walker also visits, have nothing of it to show.
"""

from django.core.files.base import ContentFile

from lvzhi.core.models import StoredFile
from lvzhi.duties.models import (
    DutyPoint,
    DutyTask,
    MandateCheck,
    Matter,
    MatterLink,
    PowerAdjustment,
    PowerItem,
    PowerList,
    PowerListEdition,
)
from lvzhi.org.models import Mandate, MandateDuty


def populate(department, user, marker):
    power_list = PowerList.objects.create(department=department)
    draft = PowerListEdition.objects.create(power_list=power_list, label=f"{marker}草稿版")
    item = PowerItem.objects.create(
        edition=draft, department=department, code=f"{department.code}-XK-001", type="licensing",
        name=f"{marker}许可", basis=f"《{marker}条例》第一条", responsibilities=f"{marker}责任",
    )
    PowerAdjustment.objects.create(
        power_list=power_list, kind="add", item_code=f"{department.code}-CF-001", type="penalty",
        name=f"{marker}处罚", basis=f"《{marker}条例》第二条", reason=f"{marker}理由", legal_basis=f"{marker}依据",
    )
    matter = Matter.objects.create(code=f"M-{department.code}", name=f"{marker}事项", published=False)
    link = MatterLink.objects.create(matter=matter, position=1, name=f"{marker}环节")
    mandate = Mandate.objects.filter(department=department, is_current=True).first() or Mandate.objects.create(
        department=department, title=f"{marker}三定规定")
    duty = MandateDuty.objects.filter(mandate=mandate).first() or MandateDuty.objects.create(
        mandate=mandate, number=1, text=f"负责{marker}工作。")
    DutyPoint.objects.create(link=link, position=1, text=f"{marker}颗粒点", lead=department, basis_duty=duty,
                             basis_item=item, basis=f"{marker}依据")
    task = DutyTask.objects.create(duty=duty, position=1, text=f"{marker}任务", standard=f"{marker}标准")
    check = MandateCheck.objects.create(department=department, duty=duty, task=task, period="2026Q1",
                                        result="partly", narrative=f"{marker}情况说明", status="submitted")
    evidence = StoredFile(name=f"{marker}佐证.pdf", size=len(marker.encode()), sha256="0" * 64,
                          content_type="application/pdf", uploaded_by=user, owner=check)
    evidence.file.save("evidence.pdf", ContentFile(marker.encode()), save=False)
    evidence.save()
