from lvzhi.duties.models import DutyPoint, Matter, MatterLink


def populate(department, user, marker):
    matter = Matter.objects.create(code=f"M-{department.code}", name=f"{marker}事项")
    link = MatterLink.objects.create(matter=matter, position=1, name=f"{marker}环节")
    DutyPoint.objects.create(link=link, position=1, text=f"{marker}颗粒点", lead=department)
