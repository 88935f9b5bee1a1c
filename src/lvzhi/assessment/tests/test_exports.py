"""The 季度考核通报 (.docx) and the 高质量发展绩效考核 export (.xlsx), written and re-opened."""

import io
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook
from django.urls import reverse

from lvzhi.core.roles import Role
from lvzhi.org.models import Region
from lvzhi.testing import client_for, make_user

from ..services import campaigns, scores
from .factories import assessed, load_libraries, open_campaign, review_all


@pytest.fixture
def world(db, staff_user, leader_user):
    load_libraries()
    Region.objects.create(name="示范市")
    econ = assessed("ECON", "economic", "示范市经济局")
    enforce = assessed("ENF", "enforcement", "示范市执法局")
    liaison = make_user("econ_liaison", Role.DEPARTMENT, department=econ)
    campaign = open_campaign(staff_user, doc_no="示编办发〔2026〕3号")
    review_all(staff_user, campaign)
    low = campaign.assessments.get(department=enforce).scores.get(criterion__code="A2-1")
    scores.unlock(staff_user, low, "复核")
    scores.review(staff_user, low, Decimal(0), "目标进展明显滞后")
    scores.lock(staff_user, low)
    campaign = campaigns.score_campaign(staff_user, campaign)
    return staff_user, leader_user, liaison, campaign


def text_of(document):
    return "\n".join(p.text for p in document.paragraphs)


def test_bulletin_is_an_official_document_with_the_ranking(world):
    staff, leader, liaison, campaign = world
    url = reverse("assessment:campaign-bulletin", args=[campaign.pk])
    assert client_for(liaison).get(url).status_code == 403  # not yet published
    response = client_for(staff).get(url)
    assert response.status_code == 200 and "filename*=" in response["Content-Disposition"]
    doc = Document(io.BytesIO(response.content))
    text = text_of(doc)
    assert "示范市机构编制委员会办公室" in text and "示编办发〔2026〕3号" in text
    assert "关于2025年第4季度部门核心职能履行评估结果的通报" in text
    assert "2个部门参加评估" in text and "评星结果：4星1个，2星1个" in text
    assert "一、总体情况" in text and "（一）经济部门" in text and "（二）社会管理和执法监督部门" in text
    rows = [[c.text for c in row.cells] for table in doc.tables for row in table.rows]
    assert ["1", "示范市经济局", "80", "★★★★", "1"] in rows
    assert ["1", "示范市执法局", "65.6", "★★", "2"] in rows
    assert "示范市执法局评星结果为二星及以下" in text
    campaigns.publish_campaign(staff, campaign)
    published = client_for(liaison).get(url)
    assert published.status_code == 200
    assert "前通过平台对具体评估标准提出申诉" in text_of(Document(io.BytesIO(published.content)))


def test_performance_export_converts_each_total_at_the_weight(world):
    staff, leader, liaison, campaign = world
    url = reverse("assessment:campaign-export", args=[campaign.pk])
    assert client_for(liaison).get(url).status_code == 403
    response = client_for(leader).get(url, {"weight": "0.15"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book["绩效考核折算"].iter_rows(values_only=True))
    assert rows[0][:10] == ("序号", "部门编码", "部门名称", "部门类别", "职能运行综合得分", "星级", "类别内排名", "总排名",
                            "绩效考核权重", "折算得分")
    assert rows[1][:10] == (1, "ECON", "示范市经济局", "经济部门", 80, 4, 1, 1, 0.15, 12)
    assert rows[2][1] == "ENF" and rows[2][9] == pytest.approx(9.84)
    notes = dict(list(book["说明"].iter_rows(values_only=True))[1:])
    assert notes["折算得分"].startswith("职能运行综合得分（百分制）× 绩效考核权重")


def test_a_bad_weight_is_refused_with_a_message(world):
    staff, leader, liaison, campaign = world
    response = client_for(staff).get(reverse("assessment:campaign-export", args=[campaign.pk]), {"weight": "2"},
                                     follow=True)
    assert "权重“2”应大于 0 且不大于 1" in response.content.decode()
