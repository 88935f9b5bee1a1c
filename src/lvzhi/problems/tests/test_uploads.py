"""Bad uploads are refused with a clear Chinese message and nothing is written."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from lvzhi.core.models import StoredFile
from lvzhi.testing import login

from ..models import ProblemEvent, Survey, SurveyResponse
from .factories import PDF, load_libraries, make_problem


@pytest.fixture
def rectifying(db, dept_a, staff_user, dept_user):
    load_libraries()
    return make_problem(dept_a, staff_user, state="rectification", liaison=dept_user)


def report(client, problem, upload):
    return client.post(reverse("problems:act", args=[problem.pk]),
                       {"action": "report_completion", "note": "已整改。", "files": [upload]})


@override_settings(LVZHI_UPLOAD_MAX_MB=1)
def test_too_big_file_is_refused(client, rectifying, dept_user):
    login(client, dept_user)
    big = SimpleUploadedFile("大文件.pdf", PDF + b"0" * (1024 * 1024 + 1), content_type="application/pdf")
    response = report(client, rectifying, big)
    assert response.status_code == 400
    assert "大小超过上限 1 MB" in response.content.decode()
    rectifying.refresh_from_db()
    assert rectifying.state == "rectification" and not StoredFile.objects.exists()
    assert not ProblemEvent.objects.filter(action="report_completion").exists()


def test_content_not_matching_the_extension_is_refused(client, rectifying, dept_user):
    login(client, dept_user)
    fake = SimpleUploadedFile("整改报告.pdf", b"MZ\x90\x00 this is an executable", content_type="application/pdf")
    response = report(client, rectifying, fake)
    assert response.status_code == 400
    assert "内容与扩展名 .pdf 不符" in response.content.decode()
    assert not StoredFile.objects.exists()


def test_unsupported_type_is_refused(client, rectifying, dept_user):
    login(client, dept_user)
    response = report(client, rectifying, SimpleUploadedFile("脚本.exe", b"MZ", content_type="application/octet-stream"))
    assert response.status_code == 400 and "类型不受支持" in response.content.decode()
    assert not StoredFile.objects.exists()


def survey_file(rows):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["部门", "受访对象", "Q1", "Q2", "Q6", "意见建议"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("问卷结果.xlsx", out.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@pytest.fixture
def survey(db, dept_a, dept_b, staff_user):
    load_libraries()
    from ..models import QuestionnaireTemplate

    template = QuestionnaireTemplate.objects.get(code="Q-PUBLIC")
    survey = Survey.objects.create(title="满意度调查", template=template, questions=template.questions)
    survey.departments.set([dept_a])
    return survey


def test_bad_survey_rows_are_all_reported_and_nothing_is_written(client, survey, staff_user, dept_a, dept_b):
    login(client, staff_user)
    upload = survey_file([
        [dept_a.code, "张三", 5, 4, 5, ""],
        [dept_a.code, "李四", 9, 4, 5, ""],  # out of range
        [dept_b.code, "王五", 3, 3, 3, ""],  # department not in the survey
        [dept_a.name, "赵六", "很好", 3, 3, ""],  # not a number
    ])
    response = client.post(reverse("problems:survey-import", args=[survey.pk]), {"file": upload})
    assert response.status_code == 400
    text = response.content.decode()
    assert "第3行" in text and "分值应在 1–5 之间" in text
    assert "第4行" in text and "不在本次调查的部门范围内" in text
    assert "第5行" in text and "无法识别的整数" in text
    assert "未写入任何数据" in text
    assert not SurveyResponse.objects.exists()


def test_good_survey_file_is_imported(client, survey, staff_user, dept_a):
    login(client, staff_user)
    upload = survey_file([[dept_a.code, "张三", 5, 4, 5, "很好"], [dept_a.name, "", 2, 1, 2, ""]])
    response = client.post(reverse("problems:survey-import", args=[survey.pk]), {"file": upload})
    assert response.status_code == 302
    assert SurveyResponse.objects.filter(survey=survey, origin="imported").count() == 2


def test_survey_upload_must_be_a_spreadsheet(client, survey, staff_user):
    login(client, staff_user)
    upload = SimpleUploadedFile("问卷.xlsx", b"not a zip at all", content_type="application/octet-stream")
    response = client.post(reverse("problems:survey-import", args=[survey.pk]), {"file": upload})
    assert response.status_code == 400 and "内容与扩展名 .xlsx 不符" in response.content.decode()
    assert not SurveyResponse.objects.exists()
