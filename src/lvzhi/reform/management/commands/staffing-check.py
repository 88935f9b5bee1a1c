"""``lvzhi staffing-check``: the 编制 compliance rules and outliers, as a named user sees them."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lvzhi.org.models import Department
from lvzhi.reform.analysis import staffing
from lvzhi.reform.exports import staffing_response

from ..common import acting_user


class Command(BaseCommand):
    help = "按机构编制合规规则检查各部门（超编、超职数、空编、内设机构），列出同类别部门中的异常值；可导出 XLSX。"

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="以该用户的身份和权限检查")
        parser.add_argument("--period", default="", help="工作量期间，如 2025 或 2025Q3（默认最近一期）")
        parser.add_argument("--department", default="", help="只检查该部门（部门编码）")
        parser.add_argument("--xlsx", default="", help="同时写出编制效能分析 XLSX 到该路径")

    def handle(self, *args, **o):
        user = acting_user(o["user"])
        department = None
        if o["department"]:
            department = Department.objects.visible_to(user).filter(code=o["department"]).first()
            if department is None:
                raise CommandError(f"没有您可查看的部门 {o['department']}")
        report = staffing.report(user, o["period"], department)
        self.stdout.write(f"{report.ruleset.title}（{report.ruleset.version}），工作量期间 {report.period_label}，"
                          f"部门 {len(report.rows)} 个，合规问题 {len(report.violations)} 项。")
        for v in report.violations:
            opened = f"\t已立问题 {v.finding.problem_number}" if v.finding else ""
            self.stdout.write(f"{v.department.code}\t{v.department.label}\t{v.rule.name}\t{v.message}{opened}")
        for o_ in report.outliers:
            self.stdout.write(f"{o_.department.code}\t{o_.department.label}\t异常：{o_.label}{o_.direction}"
                              f"（{o_.value:.3g}，同类别中位数 {o_.median:.3g}）")
        if o["xlsx"]:
            response = staffing_response(report)
            Path(o["xlsx"]).write_bytes(b"".join(response.streaming_content))
            self.stdout.write(f"已写出 {o['xlsx']}")
