"""Demo data for 示范市: the previous quarter assessed, scored, starred and published for every
assessed department (with one criterion returned once, some mutual evaluations and a pending
appeal), and the current quarter open with the market regulator's first self-assessments. All
made through the services, as ``lvzhi demo`` runs it."""

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from lvzhi.core.audit import origin

from .models import Campaign, Framework, MutualEvaluation, Score, StarRule
from .periods import Period
from .services import appeals, campaigns, mutual, scores

NARRATIVES = {
    "A1-1": "本期围绕三定规定明确的主要职责安排重点工作，核心业务处室力量占全局编制的七成以上，权责清单事项均有办理记录。",
    "A1-2": "对照全市国民经济和社会发展年度计划，将承担的重点任务分解为本部门核心职能履职目标，并明确了支撑指标。",
    "A1-3": "年度目标均明确了量化标准、完成时限和责任科室，按月调度、按季通报。",
    "A2-1": "各项目标按时序推进，季度任务完成率较上季度有所提高；个别项目受审批进度影响略有滞后，已制定赶进度措施。",
    "A2-2": "编办反馈的问题均已签收并制定整改方案，按期报送整改进展，建立了问题整改台账。",
    "A2-3": "12345热线工单按时办结，开展了服务对象回访，群众反映的主要问题已落实整改。",
    "A3-1": "核心业务指标在全省同类城市中位次前移，相关做法在全市推广。",
    "A3-2": "推进“一件事一次办”流程再造，压减办理环节和材料，办理时限平均缩短三分之一。",
    "A3-3": "本期获得省级表彰一项，经验做法被市委、市政府信息专刊刊发。",
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
COMMENTS = ("佐证材料完整，认定基本符合得满分要求。", "成效描述较充分，但量化支撑不足，酌情扣分。",
            "部分目标进展滞后，按评分指引给予部分得分。")


def load_demo(stdout):
    if Campaign.objects.exists() or Framework.current() is None or StarRule.current() is None:
        return
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["staff", "scjgj", "rsj"])}
    if len(users) < 3:
        return
    with origin("命令 demo"):
        previous, current = _load(users)
    stdout.write(f"核心职能评估：{previous.name}已发布（{previous.assessments.count()} 个部门评分评星），"
                 f"{current.name}已启动")


def _score_value(rng, maximum, low, high):
    """A score between ``low`` and ``high`` of ``maximum``, in half points."""
    value = Decimal(str(round(rng.uniform(low, high) * float(maximum) * 2) / 2))
    return min(value, maximum)


def _load(users):
    staff, scjgj, rsj = users["staff"], users["scjgj"], users["rsj"]
    now = Period.current_quarter()
    before = now.previous()
    previous = campaigns.create_campaign(staff, period=before.code, self_deadline=before.end + dt.timedelta(days=10),
                                         doc_no=f"示编办发〔{now.year}〕{now.quarter * 7}号")
    previous = campaigns.open_campaign(staff, previous)
    rng = random.Random(before.code)
    queue = Score.objects.filter(assessment__campaign=previous).select_related("criterion", "assessment__department")
    returned = None
    for score in queue.order_by("assessment__department__position", "assessment__department__code", "pk"):
        # Each department has its own level, so the demo spreads over the star range.
        level = random.Random(score.assessment.department.code).uniform(0.55, 0.95)
        self_value = _score_value(rng, score.criterion.max_points, level + 0.03, min(level + 0.1, 1.0))
        scores.save_self_assessment(staff, score, NARRATIVES.get(score.criterion.code, "已按要求完成。"), self_value)
        scores.submit(staff, score)
        if returned is None and score.assessment.department.code == "SCJGJ" and score.criterion.code == "A2-2":
            returned = scores.return_for_evidence(staff, score, "请补充问题整改台账及销号佐证材料。")
            scores.add_evidence(staff, returned, SimpleUploadedFile("问题整改台账.pdf", PDF, "application/pdf"))
            scores.save_self_assessment(staff, returned, NARRATIVES["A2-2"] + "已补充整改台账（见附件）。", self_value)
            scores.submit(staff, returned)
        review_value = _score_value(rng, score.criterion.max_points, level - 0.05, level + 0.05)
        scores.review(staff, score, review_value, rng.choice(COMMENTS))
    for evaluation in MutualEvaluation.objects.filter(campaign=previous, rater__code__in=["SCJGJ", "RSJ"]):
        liaison = scjgj if evaluation.rater.code == "SCJGJ" else rsj
        mutual.give(liaison, evaluation, {"cooperation": rng.randint(3, 5), "timeliness": rng.randint(3, 5),
                                          "information_sharing": rng.randint(2, 5)}, "能够按照职责边界清单协同配合。")
    scores.lock_reviewed(staff, previous)
    previous = campaigns.score_campaign(staff, previous)
    previous = campaigns.publish_campaign(staff, previous)
    contested = Score.objects.filter(assessment__campaign=previous, assessment__department__code="RSJ",
                                     criterion__code="A3-1").first()
    if contested is not None:
        appeals.file_appeal(rsj, contested, "本期根治欠薪工作获省人社厅通报表扬，评审时未予考虑，请求复核。")
    current = campaigns.create_campaign(staff, period=now.code, self_deadline=now.end + dt.timedelta(days=10))
    current = campaigns.open_campaign(staff, current)
    first = Score.objects.filter(assessment__campaign=current, assessment__department__code="SCJGJ").select_related(
        "criterion").order_by("criterion__position")[:2]
    for i, score in enumerate(first):
        scores.save_self_assessment(scjgj, score, NARRATIVES[score.criterion.code], score.criterion.max_points - i)
        if i == 0:
            scores.submit(scjgj, score)
    return previous, current
