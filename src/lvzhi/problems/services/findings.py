"""Finding problems: field visits, surveys of the people served, and clues from oversight bodies."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Avg, Count

from lvzhi.core.roles import OversightBody
from lvzhi.core.scoping import get_scope

from ..models import (
    BODY_SOURCE,
    Clue,
    Inspection,
    ProblemEvent,
    ProblemShare,
    Source,
    SurveyAnswer,
    SurveyResponse,
)
from .base import TransitionError, attach, office_staff, require_office, tell
from .problems import create_problem


def add_finding(inspection, *, by, title, description, department, type=None, severity=None, files=()):
    """A finding of a field visit becomes a problem in 分析 with the visit as its source."""
    require_office(by, "登记调研发现的问题")
    if not inspection.departments.filter(pk=department.pk).exists():
        raise TransitionError("责任部门须为本次调研的部门之一。")
    extra = {"severity": severity} if severity else {}
    return create_problem(
        by=by, title=title, description=description, department=department, source=Source.INSPECTION,
        type=type, inspection=inspection, found_on=inspection.visit_on, files=files,
        note=f"现场调研“{inspection.title}”发现", **extra,
    )


def _avg(value):
    return Decimal(str(value)).quantize(Decimal("0.01"))


def satisfaction(survey, responses=None):
    """Average score per (department, question) and per department, aggregated in the database."""
    responses = responses if responses is not None else SurveyResponse.objects.filter(survey=survey)
    rows = (
        SurveyAnswer.objects.filter(response__in=responses, score__isnull=False)
        .values("response__department", "question")
        .annotate(avg=Avg("score"), n=Count("pk"))
    )
    cells, by_dept = {}, {}
    for row in rows:
        cells[(row["response__department"], row["question"])] = (_avg(row["avg"]), row["n"])
    for row in (
        SurveyAnswer.objects.filter(response__in=responses, score__isnull=False)
        .values("response__department")
        .annotate(avg=Avg("score"), n=Count("response", distinct=True))
    ):
        by_dept[row["response__department"]] = (_avg(row["avg"]), row["n"])
    return cells, by_dept


def low_scores(survey, responses=None):
    """(department id, question, average, answers) below the survey's threshold."""
    cells, _ = satisfaction(survey, responses)
    texts = {q["code"]: q["text"] for q in survey.score_questions}
    return sorted(
        (dept, code, texts.get(code, code), avg, n)
        for (dept, code), (avg, n) in cells.items()
        if avg < survey.threshold
    )


def problem_from_low_score(survey, *, by, department, question, type=None):
    """Turn a low average score into a problem in 分析, with the survey as its source."""
    require_office(by, "将低分项转为问题")
    cells, _ = satisfaction(survey)
    cell = cells.get((department.pk, question))
    if cell is None or cell[0] >= survey.threshold:
        raise TransitionError("该部门在这道题上的平均分不低于阈值，无需转为问题。")
    text = next((q["text"] for q in survey.score_questions if q["code"] == question), question)
    avg, n = cell
    return create_problem(
        by=by, title=f"服务对象对“{text}”满意度偏低", type=type, department=department, source=Source.SURVEY,
        description=(f"在“{survey.title}”中，{n} 份有效回答对{department.label}“{text}”一项的平均分为 {avg}"
                     f"（满分 {survey.scale_max} 分），低于 {survey.threshold} 分的阈值。"),
        survey=survey, note=f"由服务对象意见调查“{survey.title}”低分项生成",
    )


def save_response(survey, *, by, department, respondent="", comment="", answers, answered_on=None,
                  origin=SurveyResponse.Origin.TYPED):
    """One questionnaire; ``answers`` maps question code → score (int) or text."""
    require_office(by, "录入服务对象意见")
    if not survey.departments.filter(pk=department.pk).exists():
        raise TransitionError(f"{department.label}不在本次调查的部门范围内。")
    response = SurveyResponse(survey=survey, department=department, respondent=respondent, comment=comment,
                              origin=origin, created_by=by)
    if answered_on:
        response.answered_on = answered_on
    response.save()
    rows = []
    for q in survey.questions:
        value = answers.get(q["code"])
        if value in (None, ""):
            continue
        if q.get("kind", "score") == "score":
            rows.append(SurveyAnswer(response=response, question=q["code"], score=int(value)))
        else:
            rows.append(SurveyAnswer(response=response, question=q["code"], text=str(value)))
    SurveyAnswer.objects.bulk_create(rows)
    return response


def register_clue(*, by, title, description, department, body=None, about=None, files=()):
    """线索 from an oversight body: lands as a problem in the office's 分析 queue, shared back with
    the body; the clue and the problem point at each other."""
    scope = get_scope(by)
    bodies = sorted(scope.bodies)
    if not bodies:
        raise PermissionDenied("只有纪检监察、巡察、审计联络员可以登记线索。")
    body = body or bodies[0]
    if body not in scope.bodies:
        raise PermissionDenied("您不能以该监督机关的名义登记线索。")
    if about is not None and not ProblemShare.objects.filter(problem=about, body=body).exists():
        raise PermissionDenied("只能关联已共享给本机关的问题。")
    with transaction.atomic():
        label = OversightBody(body).label
        problem = create_problem(
            by=by, title=title, description=description, department=department, source=BODY_SOURCE[body],
            note=f"{label}移交线索", check_role=False,
        )
        clue = Clue.objects.create(body=body, title=title, description=description, department=department,
                                   problem=problem, about=about, created_by=by)
        attach(clue, files, by)
        ProblemShare.objects.create(problem=problem, body=body, shared_by=by, note="线索来源机关")
        ProblemEvent.objects.create(
            problem=problem, action="clue", to_state=problem.state, from_state=problem.state, actor=by,
            note=f"{label}登记线索“{title}”" + (f"，关联问题 {about.number}" if about else ""),
            data={"clue": clue.pk, "body": body}, internal=True, created_by=by,
        )
        if about is not None:
            ProblemEvent.objects.create(
                problem=about, action="clue", to_state=about.state, from_state=about.state, actor=by,
                note=f"{label}就本问题登记后续线索“{title}”，已形成问题 {problem.number}",
                data={"clue": clue.pk, "body": body, "problem": problem.pk}, internal=True, created_by=by,
            )
        tell(office_staff(), problem, f"{label}移交线索：{title}", description[:200], kind="clue")
    return clue


def inspection_topics(outline, codes=None):
    """The outline topics chosen for a visit (all when ``codes`` is empty), as a snapshot."""
    topics = outline.topics if outline else []
    return [t for t in topics if not codes or t["code"] in codes]


def finish_inspection(inspection, *, by, minutes):
    require_office(by, "填写调研纪要")
    inspection.minutes = minutes
    inspection.status = Inspection.Status.DONE
    inspection.version += 1
    inspection.save()
    return inspection

