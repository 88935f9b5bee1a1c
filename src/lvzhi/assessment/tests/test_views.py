"""The pages through real HTTP: a quarter opened, self-assessed by a department, returned once,
reviewed, locked, scored and published; isolation between departments; roles; uploads; and the
campaign page's query count."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvzhi.core.models import StoredFile
from lvzhi.core.roles import Role
from lvzhi.testing import client_for, make_user

from ..models import Assessment, Campaign, Framework, Score
from ..services import campaigns
from .factories import DEADLINE, assessed, load_libraries, open_campaign, pdf, review_all


@pytest.fixture
def world(db, staff_user):
    load_libraries()
    econ = assessed("ECON", "economic", "经济局")
    enforce = assessed("ENF", "enforcement", "执法局")
    liaison = make_user("econ_liaison", Role.DEPARTMENT, department=econ)
    other = make_user("enf_liaison", Role.DEPARTMENT, department=enforce)
    return staff_user, econ, enforce, liaison, other


def score_of(campaign, department, code="A2-2"):
    return Score.objects.get(assessment__campaign=campaign, assessment__department=department, criterion__code=code)


def post(client, name, pk, **data):
    return client.post(reverse(f"assessment:{name}", args=[pk]), data)


def test_a_quarter_through_the_pages(world):
    staff, econ, enforce, liaison, other = world
    office, dept = client_for(staff), client_for(liaison)
    response = office.post(reverse("assessment:campaign-create"), {
        "period": "2025Q4", "name": "", "self_deadline": DEADLINE.isoformat(),
        "framework": Framework.current().pk, "performance_weight": "0.1", "doc_no": "示编办发〔2026〕3号"})
    assert response.status_code == 302, response.content.decode()[:3000]
    campaign = Campaign.objects.get()
    assert post(office, "campaign-action", campaign.pk, action="open").status_code == 302
    assert Campaign.objects.get().status == Campaign.Status.OPEN

    page = dept.get(campaign.get_absolute_url()).content.decode()
    assert "经济局 的评估表" in page and "执法局" not in page
    assessment = Assessment.objects.get(campaign=campaign, department=econ)
    assert "监管发现问题整改" in dept.get(assessment.get_absolute_url()).content.decode()
    score = score_of(campaign, econ)
    assert post(dept, "score-evidence", score.pk, file=pdf("整改台账.pdf")).status_code == 302
    assert StoredFile.objects.filter(owner_id=str(score.pk), name="整改台账.pdf").exists()
    response = post(dept, "score-self", score.pk, narrative="反馈问题全部按期整改。", self_score="14", submit="1")
    assert response.status_code == 302
    assert Score.objects.get(pk=score.pk).status == Score.Status.SUBMITTED

    assert post(office, "score-action", score.pk, action="return", note="请补充销号材料。").status_code == 302
    page = dept.get(score.get_absolute_url()).content.decode()
    assert "编办退回意见：请补充销号材料。" in page and "保存并提交评审" in page
    post(dept, "score-self", score.pk, narrative="已补充销号材料。", self_score="14", submit="1")
    assert post(office, "score-action", score.pk, action="review", review_score="12", comment="基本到位").status_code == 302
    assert post(office, "score-action", score.pk, action="lock").status_code == 302
    score = Score.objects.get(pk=score.pk)
    assert (score.status, score.review_score, score.returned_count) == (Score.Status.LOCKED, Decimal(12), 1)

    review_all(staff, campaign)
    assert post(office, "campaign-action", campaign.pk, action="score").status_code == 302
    page = dept.get(assessment.get_absolute_url()).content.decode()
    assert "得分、星级和排名在评估结果发布后显示" in page and "综合得分 =" not in page
    assert post(office, "campaign-action", campaign.pk, action="publish").status_code == 302
    page = dept.get(assessment.get_absolute_url()).content.decode()
    assert "综合得分 = " in page and "加权得分 = 12 × 类别权重 0.8 = 9.6 分" in page
    page = dept.get(score.get_absolute_url()).content.decode()
    assert "得分计算过程" in page and "提出申诉" in page
    response = post(dept, "score-appeal", score.pk, reason="整改报告一次通过，请复核。")
    assert response.status_code == 302 and score.appeals.count() == 1
    appeal = score.appeals.get()
    response = post(office, "appeal-decide", appeal.pk, decision="change", new_review_score="14", note="复核属实。")
    assert response.status_code == 302
    assert Assessment.objects.get(pk=assessment.pk).total == Decimal("81.60")
    assert "复核属实。" in dept.get(assessment.get_absolute_url()).content.decode()


def test_bad_uploads_and_bad_input_are_refused_and_change_nothing(world):
    staff, econ, enforce, liaison, other = world
    campaign = open_campaign(staff)
    score = score_of(campaign, econ)
    dept = client_for(liaison)
    fake = SimpleUploadedFile("伪装.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = dept.post(reverse("assessment:score-evidence", args=[score.pk]), {"file": fake}, follow=True)
    assert "文件 伪装.pdf 的内容与扩展名 .pdf 不符" in response.content.decode()
    exe = SimpleUploadedFile("程序.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = dept.post(reverse("assessment:score-evidence", args=[score.pk]), {"file": exe}, follow=True)
    assert "文件 程序.exe 的类型不受支持" in response.content.decode()
    assert not StoredFile.objects.exists()
    response = post(dept, "score-self", score.pk, narrative="说明", self_score="99")
    assert Score.objects.get(pk=score.pk).self_score is None
    response = dept.post(reverse("assessment:score-self", args=[score.pk]), {"narrative": "", "submit": "1",
                                                                             "self_score": "5"}, follow=True)
    assert "请填写自评说明" in response.content.decode()
    assert Score.objects.get(pk=score.pk).status == Score.Status.DRAFT


def test_a_department_never_sees_another_departments_breakdown(world):
    staff, econ, enforce, liaison, other = world
    campaign = open_campaign(staff)
    theirs = Assessment.objects.get(campaign=campaign, department=enforce)
    their_score = score_of(campaign, enforce)
    dept = client_for(liaison)
    for url in (theirs.get_absolute_url(), their_score.get_absolute_url(),
                reverse("assessment:score-self", args=[their_score.pk])):
        assert dept.get(url).status_code in (404, 405)
    assert post(dept, "score-self", their_score.pk, narrative="越权").status_code == 404
    assert "执法局" not in dept.get(campaign.get_absolute_url()).content.decode()
    review_all(staff, campaign)
    campaigns.publish_campaign(staff, campaigns.score_campaign(staff, campaign))
    page = dept.get(campaign.get_absolute_url()).content.decode()
    assert "执法局" in page and theirs.get_absolute_url() not in page
    assert dept.get(theirs.get_absolute_url()).status_code == 404
    assert dept.get(their_score.get_absolute_url()).status_code == 404
    stored = StoredFile.objects.create(name="执法局佐证.pdf", size=1, sha256="0" * 64, content_type="application/pdf",
                                       owner=their_score, file="files/x.pdf")
    assert dept.get(reverse("core:file", args=[stored.pk])).status_code == 404


def test_wrong_roles_are_refused(world, hotline_user, leader_user):
    staff, econ, enforce, liaison, other = world
    campaign = open_campaign(staff)
    mine = score_of(campaign, econ)
    hotline, leader, dept = client_for(hotline_user), client_for(leader_user), client_for(liaison)
    for url in (reverse("assessment:campaigns"), campaign.get_absolute_url(), reverse("assessment:dashboard"),
                "/api/campaigns/", "/api/assessments/"):
        assert hotline.get(url).status_code == 403, url
    assert post(dept, "campaign-action", campaign.pk, action="score").status_code == 403
    assert dept.get(reverse("assessment:campaign-create")).status_code == 403
    scored = post(dept, "score-self", mine.pk, narrative="自评", self_score="12", submit="1")
    assert scored.status_code == 302
    assert post(dept, "score-action", mine.pk, action="review", review_score="15").status_code == 403
    assert Score.objects.get(pk=mine.pk).review_score is None
    assert post(leader, "score-self", mine.pk, narrative="领导代填").status_code == 403
    assert leader.get(mine.get_absolute_url()).status_code == 200


def test_campaign_page_query_count_does_not_grow_with_departments(db, staff_user):
    load_libraries()
    office = client_for(staff_user)

    def count(n, period):
        for i in range(n):
            assessed(f"Q{period[-1]}{i:02d}")
        campaign = open_campaign(staff_user, period=period)
        with CaptureQueriesContext(connection) as queries:
            assert office.get(campaign.get_absolute_url()).status_code == 200
        return len(queries)

    few = count(2, "2025Q3")
    many = count(8, "2025Q4")
    assert few == many


def test_editing_a_campaign_through_the_page(world):
    staff, econ, enforce, liaison, other = world
    campaign = open_campaign(staff)
    office = client_for(staff)
    url = reverse("assessment:campaign-edit", args=[campaign.pk])
    assert client_for(liaison).get(url).status_code == 403
    assert office.get(url).status_code == 200
    later = DEADLINE.replace(day=1) if DEADLINE.day > 1 else DEADLINE
    response = office.post(url, {"period": "2025Q4", "name": "", "self_deadline": later.isoformat(),
                                 "reveal_raters": "on", "performance_weight": "0.12", "doc_no": "示编办发〔2026〕9号",
                                 "expected_version": campaign.version})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.name, campaign.reveal_raters, campaign.performance_weight) == (
        "2025年第4季度核心职能履行评估", True, Decimal("0.12"))
    stale = office.post(url, {"period": "2025Q4", "self_deadline": later.isoformat(), "expected_version": 1})
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
