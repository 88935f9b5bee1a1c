"""One record of every model of the problems app for ``department`` (see tests/test_isolation.py)."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile

from lvzhi.core.models import StoredFile
from lvzhi.core.roles import OversightBody

from ..models import (
    CalendarDay,
    Clue,
    ExtensionRequest,
    Inspection,
    PolicyRecommendation,
    Problem,
    ProblemCategory,
    ProblemEvent,
    ProblemLink,
    ProblemShare,
    ProblemType,
    QuestionnaireTemplate,
    RectificationNotice,
    RectificationReport,
    Reminder,
    ResearchOutline,
    SavedView,
    Survey,
    SurveyAnswer,
    SurveyResponse,
    Taxonomy,
)


def shared_reference():
    """Reference rows are shared by everybody, so they carry no marker."""
    taxonomy, _ = Taxonomy.objects.get_or_create(version="leak", defaults={"title": "测试分类库"})
    category, _ = ProblemCategory.objects.get_or_create(taxonomy=taxonomy, code="C1", defaults={"name": "测试类别"})
    ptype, _ = ProblemType.objects.get_or_create(category=category, code="C1-01", defaults={"name": "测试类型"})
    ResearchOutline.objects.get_or_create(version="leak", defaults={"title": "测试提纲", "topics": []})
    template, _ = QuestionnaireTemplate.objects.get_or_create(
        code="LEAK", version="1", defaults={"title": "测试问卷", "questions": [{"code": "Q1", "text": "总体评价"}]})
    CalendarDay.objects.get_or_create(date=dt.date(2030, 1, 1), defaults={"is_workday": False, "name": "元旦"})
    return ptype, template


def populate(department, user, marker):
    ptype, template = shared_reference()
    inspection = Inspection.objects.create(title=f"{marker}调研", visit_on=dt.date(2026, 3, 2), minutes=marker)
    inspection.departments.set([department])
    survey = Survey.objects.create(title=f"{marker}调查", template=template, questions=template.questions)
    survey.departments.set([department])
    response = SurveyResponse.objects.create(survey=survey, department=department, respondent=marker, comment=marker)
    SurveyAnswer.objects.create(response=response, question="Q1", score=2)
    problem = Problem.objects.create(
        number=f"WT-{department.code}", title=f"{marker}问题", description=marker, category=ptype.category, type=ptype,
        source="inspection", department=department, inspection=inspection, survey=survey, state="rectification",
        issued_at=dt.datetime(2026, 3, 3, tzinfo=dt.timezone.utc), deadline=dt.date(2026, 4, 1), deadline_days=20,
    )
    event = ProblemEvent.objects.create(problem=problem, action="issue", to_state="feedback", actor=user, note=marker)
    stored = StoredFile(name=f"{marker}.txt", size=len(marker.encode()), sha256="0" * 64, content_type="text/plain",
                        uploaded_by=user, owner=event)
    stored.file.save("leak.txt", ContentFile(marker.encode()), save=False)
    stored.save()
    RectificationNotice.objects.create(problem=problem, doc_no=f"{marker}〔2026〕1号", issued_on=dt.date(2026, 3, 3),
                                       deadline=dt.date(2026, 4, 1), deadline_days=20, requirements=marker)
    RectificationReport.objects.create(problem=problem, kind="plan", content=f"{marker}整改方案", event=event)
    ExtensionRequest.objects.create(problem=problem, days=5, reason=f"{marker}延期理由")
    ProblemLink.objects.create(problem=problem, target_type=ContentType.objects.get_for_model(StoredFile), target_id=str(stored.pk),
                               label=f"{marker}关联")
    Reminder.objects.create(problem=problem, kind="due", deadline=problem.deadline, sent_on=problem.deadline)
    ProblemShare.objects.create(problem=problem, body=OversightBody.AUDIT, note=marker)
    Clue.objects.create(body=OversightBody.AUDIT, title=f"{marker}线索", description=marker, department=department,
                        created_by=user)
    recommendation = PolicyRecommendation.objects.create(
        type_code=ptype.code, type_name=ptype.name, period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31),
        text=f"{marker}对策建议", created_by=user)
    recommendation.problems.set([problem])
    SavedView.objects.create(created_by=user, name=f"{marker}视图", query="state=rectification")
