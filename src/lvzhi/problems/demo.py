"""Demo data for 示范市: problems in every stage of the loop, a field visit, a survey and an
oversight clue, all made through the services so their timelines are real. Run by ``lvzhi demo``."""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lvzhi.core.audit import origin
from lvzhi.duties.models import Matter
from lvzhi.org.models import BoundaryClause, Department

from . import services
from .models import Inspection, Problem, ProblemType, QuestionnaireTemplate, ResearchOutline, Survey

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def load_demo(stdout):
    if Problem.objects.exists() or not ProblemType.objects.exists():
        return
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["staff", "scjgj", "rsj", "jiwei"])}
    if len(users) < 4:
        return
    with origin("命令 demo"):
        count = _load(users)
    stdout.write(f"问题与闭环：演示问题 {count} 个、现场调研 1 次、服务对象意见调查 1 次、监督机关线索 1 条")


def _dept(code):
    return Department.objects.get(code=code)


def _type(code):
    return ProblemType.objects.get(code=code, category__taxonomy__is_current=True)


def _matter(code):
    return Matter.objects.filter(code=code).first()


def _load(users):
    staff, scjgj, rsj, jiwei = users["staff"], users["scjgj"], users["rsj"], users["jiwei"]
    today = timezone.localdate()

    def new(code, title, description, type_code, source, days_ago, **fields):
        return services.create_problem(by=staff, title=title, description=description, department=_dept(code),
                                       source=source, type=_type(type_code),
                                       found_on=today - dt.timedelta(days=days_ago), **fields)

    p1 = new("SCJGJ", "占道经营与流动摊贩监管职责交叉",
             "12345热线近三个月受理占道经营、流动摊贩投诉 326 件，市场监管局与城管局相互转办 47 次，"
             "群众反映“打了几次电话都说不归他们管”。", "C3-01", "hotline", 40, related=[_dept("CGJ")],
             policy_basis="《示范市城市市容和环境卫生管理条例》第二十一条")
    services.issue(p1, by=staff, days=20, note="请会同市城管局研究提出分工意见。")
    services.acknowledge(p1, by=scjgj)
    services.submit_plan(p1, by=scjgj, note="一、与市城管局联合梳理占道经营执法事项清单；二、建立案件移送和信息共享机制；"
                                            "三、在职责边界清单中补充“流动摊贩管理”事项。")
    services.request_extension(p1, by=scjgj, days=10, note="需提请市政府协调会议研究，申请延长 10 个工作日。")

    p2 = new("SCJGJ", "食品经营许可审批与后续监管衔接不畅",
             "审批服务局核发的食品经营许可信息未实时推送，部分新设餐饮单位取得许可后 3 个月未纳入日常监管。",
             "C3-03", "inspection", 80, related=[_dept("SPJ")],
             boundary_clause=BoundaryClause.objects.filter(mandate__department__code="SPJ").first())
    services.issue(p2, by=staff, days=15)
    services.acknowledge(p2, by=scjgj)
    services.report_completion(p2, by=scjgj, note="已与市审批服务局建立许可信息每日推送机制。", files=[_pdf("推送机制说明.pdf")])
    services.reject(p2, by=staff, note="未提供近一个月推送数据和认领记录，佐证材料不足。", days=10)
    services.report_completion(p2, by=scjgj, note="补充推送台账及认领记录，已全部纳入监管。", files=[_pdf("推送认领台账.pdf")])
    services.accept(p2, by=staff, note="整改到位，予以销号。")

    p3 = new("RSJ", "根治欠薪工作中行业主管部门配合不到位",
             "欠薪投诉中涉及工程建设领域的，住建、交通、水利等行业主管部门未按职责边界清单落实源头治理责任。",
             "C6-03", "hotline", 60, matter=_matter("M-WAGE"), related=[_dept("ZJJ"), _dept("JTJ")])
    services.issue(p3, by=staff, days=15)
    services.acknowledge(p3, by=rsj)
    services.report_progress(p3, by=rsj, note="已召开根治欠薪工作联席会议，明确行业主管部门责任。")
    services.report_completion(p3, by=rsj, note="印发《根治欠薪部门职责分工方案》。", files=[_pdf("职责分工方案.pdf")])

    p4 = new("RSJ", "在编人员长期被借调抽调", "该局 6 名在编人员被借调至其他单位超过一年，劳动保障监察岗位人手紧张。",
             "C8-02", "tour", 30)
    services.issue(p4, by=staff, days=10)
    services.acknowledge(p4, by=rsj)
    # Issued a while ago: overdue now, so the deadline run has something to escalate.
    Problem.objects.filter(pk=p4.pk).update(deadline=today - dt.timedelta(days=9))

    for code, days_ago in (("ZJJ", 50), ("CGJ", 35), ("SCJGJ", 20)):
        p = new(code, "12345热线工单办理超期率偏高", "上季度热线工单超期办结率超过 15%，主要集中在物业、油烟、占道等类别。",
                "C5-03", "hotline", days_ago, matter=_matter({"ZJJ": "M-PROPERTY", "CGJ": "M-FUME"}.get(code, "")))
        if code != "SCJGJ":
            services.issue(p, by=staff, days=20)

    p5 = new("CGJ", "餐饮油烟投诉在城管与生态环境部门间反复退单",
             "油烟扰民工单在市城管局和市生态环境局之间平均退单 2.3 次，职责边界清单未区分餐饮服务单位规模。",
             "C3-02", "hotline", 25, matter=_matter("M-FUME"), related=[_dept("SHJJ")])
    services.issue(p5, by=staff, days=15)

    inspection = Inspection.objects.create(
        title="基层综合行政执法体制运行情况现场调研", visit_on=today - dt.timedelta(days=14),
        participants="市编办监管科 2 人、东城区编办 1 人", plan="座谈会 + 个别访谈 + 查阅执法案卷",
        minutes="柳庄镇反映：下放的 46 项行政处罚事项中有 12 项近一年无办件，专业执法人员不足；"
                "城管局与镇综合执法队在案件移交、技术支撑上缺少书面规程。",
        status=Inspection.Status.DONE, created_by=staff,
    )
    outline = ResearchOutline.objects.filter(is_current=True).first()
    if outline:
        inspection.topics, inspection.outline_version = outline.topics, outline.version
        inspection.save()
    inspection.departments.set([_dept("Z-LIUZHUANG"), _dept("CGJ")])
    services.add_finding(inspection, by=staff, title="赋权事项基层接不住、管不好", department=_dept("Z-LIUZHUANG"),
                         description="下放柳庄镇的 46 项处罚事项中 12 项近一年无办件，镇综合执法队缺少专业人员。",
                         type=_type("C7-01"))

    _survey(staff, today)
    services.register_clue(by=jiwei, title="某局涉嫌超编进人的问题线索", department=_dept("WJW"),
                           description="巡察中发现市卫健委所属单位 2025 年以劳务派遣名义使用人员从事在编岗位工作，"
                                       "涉嫌变相突破编制限额，请编办核查。")
    services.share(p3, by=staff, body="discipline", note="涉及欠薪问题的部门履职情况，供纪检监察机关参考。")
    return Problem.objects.count()


def _survey(staff, today):
    template = QuestionnaireTemplate.objects.filter(code="Q-PUBLIC", is_current=True).first()
    if template is None:
        return
    departments = [_dept(c) for c in ("SPJ", "SCJGJ", "RSJ")]
    survey = Survey.objects.create(
        title=f"{today.year}年政务服务办事群众满意度调查", template=template, questions=template.questions,
        scale_min=template.scale_min, scale_max=template.scale_max, period_start=today - dt.timedelta(days=30),
        period_end=today - dt.timedelta(days=5), threshold=3, created_by=staff,
    )
    survey.departments.set(departments)
    rng = random.Random(2026)
    for i in range(36):
        dept = departments[i % 3]
        answers = {}
        for q in template.score_questions:
            low = dept.code == "SPJ" and q["code"] == "Q4"
            answers[q["code"]] = rng.choice([1, 2, 2, 3, 4]) if low else rng.choice([3, 4, 4, 5, 5])
        services.save_response(survey, by=staff, department=dept, respondent=f"受访群众{i + 1:02d}", answers=answers,
                               comment="希望同一件事不用跑多个窗口。" if dept.code == "SPJ" and i % 4 == 0 else "")
    services.problem_from_low_score(survey, by=staff, department=departments[0], question="Q4", type=_type("C5-06"))
