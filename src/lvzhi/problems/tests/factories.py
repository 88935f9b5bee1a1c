"""Test helpers for the problems app: the bundled libraries and problems in any state of the loop."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from lvzhi.core.libraries import library_path, read

from .. import libraries, services
from ..models import ProblemType

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def load_libraries():
    for name, loader in (("problem_taxonomy.yaml", libraries.load_taxonomy),
                         ("research_outline.yaml", libraries.load_outline),
                         ("holidays.yaml", libraries.load_calendar),
                         ("questionnaires.yaml", libraries.load_questionnaires)):
        path = library_path(name)
        loader(read(path), path)


def problem_type(code="C3-02"):
    return ProblemType.objects.filter(code=code, category__taxonomy__is_current=True).get()


def pdf(name="佐证材料.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def make_problem(department, by, *, state="analysis", liaison=None, type_code="C3-02", title="职责交叉导致群众诉求推诿",
                 found_on=None, **fields):
    """A problem taken through the real services up to ``state``."""
    problem = services.create_problem(
        by=by, title=title, description="群众反映的诉求在两个部门之间多次退单，长期得不到处理。", department=department,
        source=fields.pop("source", "hotline"), type=problem_type(type_code), found_on=found_on or dt.date(2026, 9, 1),
        **fields,
    )
    order = ["analysis", "feedback", "rectification", "evaluation", "closed"]
    target = order.index(state)
    if target >= 1:
        services.issue(problem, by=by, days=10)
    if target >= 2:
        services.acknowledge(problem, by=liaison)
    if target >= 3:
        services.report_completion(problem, by=liaison, note="已完成整改。", files=[pdf()])
    if target >= 4:
        services.accept(problem, by=by)
    problem.refresh_from_db()
    return problem
