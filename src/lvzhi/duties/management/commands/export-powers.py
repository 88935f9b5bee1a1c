from django.core.management.base import BaseCommand, CommandError

from lvzhi.duties.models import PowerItem, PowerListEdition
from lvzhi.duties.services import powerio
from lvzhi.org.models import Department


class Command(BaseCommand):
    help = "导出权责清单（交换格式 §2）。文件名以 .csv 结尾时输出 UTF-8（带 BOM）CSV，否则输出 XLSX。默认导出各部门现行版本。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--department", help="只导出该部门（部门编码）")
        parser.add_argument("--draft", action="store_true", help="导出草稿版本而不是现行版本")

    def handle(self, *args, **o):
        items = PowerItem.objects.all()
        if o["draft"]:
            items = items.filter(edition__status=PowerListEdition.Status.DRAFT)
        else:
            items = items.filter(edition__is_current=True)
        if o["department"]:
            department = Department.objects.filter(code=o["department"]).first()
            if department is None:
                raise CommandError(f"部门编码“{o['department']}”在系统中不存在。")
            items = items.filter(department=department)
        powerio.write(o["file"], items)
        self.stdout.write(f"已导出 {items.count()} 项到 {o['file']}")
