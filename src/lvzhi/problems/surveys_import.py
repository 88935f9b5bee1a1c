"""Survey responses from an XLSX or CSV file, through the shared tabular engine.

One row per questionnaire: 部门 (code or name of a surveyed department), 受访对象, 填报日期, one
column per question (header: the question code, or code and text as in the template), 意见建议.
Every row is checked; if any is bad nothing is written and the report names each bad row.
"""

from lvzhi.core.tabular import Column, ParseError, date, import_rows, integer, read_table, text

from . import services
from .models import SurveyResponse


def score_parser(survey):
    def parse(value):
        number = integer(value)
        if number is not None and not survey.scale_min <= number <= survey.scale_max:
            raise ParseError(f"分值应在 {survey.scale_min}–{survey.scale_max} 之间，而不是“{value}”")
        return number

    return parse


def columns(survey):
    cols = [
        Column("department", "部门", aliases=("部门编码", "评价部门", "department"), required=True),
        Column("respondent", "受访对象", aliases=("respondent",)),
        Column("answered_on", "填报日期", aliases=("answered_on", "日期"), parse=date),
    ]
    for q in survey.questions:
        parse = score_parser(survey) if q.get("kind", "score") == "score" else text
        cols.append(Column(q["code"], f"{q['code']} {q['text']}", aliases=(q["text"],), parse=parse))
    cols.append(Column("comment", "意见建议", aliases=("comment", "备注")))
    return cols


def template_header(survey):
    return [c.label for c in columns(survey)]


def import_responses(survey, fileobj, filename, *, by):
    departments = {}
    for d in survey.departments.all():
        for key in (d.code, d.name, d.short_name):
            if key:
                departments[key.casefold()] = d
    codes = [q["code"] for q in survey.questions]

    def check(batch, report):
        for row in batch:
            dept = departments.get((row.values["department"] or "").casefold())
            if dept is None:
                row.add_error(f"部门“{row.values['department']}”不在本次调查的部门范围内", "department")
            elif not any(row.values.get(c) not in (None, "") for c in codes):
                row.add_error("没有任何题目的回答")
            row.values["department_obj"] = dept

    def write(batch, report):
        for row in batch:
            v = row.values
            services.save_response(
                survey, by=by, department=v["department_obj"], respondent=v["respondent"] or "",
                comment=v["comment"] or "", answers={c: v.get(c) for c in codes}, answered_on=v["answered_on"],
                origin=SurveyResponse.Origin.IMPORTED,
            )
            report.created += 1

    rows = read_table(fileobj, filename, columns(survey))
    return import_rows(rows, write, check=check)
