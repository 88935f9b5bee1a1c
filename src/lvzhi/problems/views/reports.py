"""Reports across problems: rectification status (page, .docx, .xlsx), 普遍性问题 with 对策建议,
and the taxonomy in force."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from lvzhi.core.roles import Role
from lvzhi.core.views import RoleRequiredMixin
from lvzhi.org.models import Department

from .. import services
from ..exports.status import status_docx_response, status_xlsx_response
from ..forms import RecommendationForm
from ..models import PolicyRecommendation, Problem, Taxonomy

REPORT_ROLES = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.LEADER, Role.DEPARTMENT)


class StatusReportView(RoleRequiredMixin, View):
    """整改情况报告: city-wide or one department (?department=CODE); ?format=docx|xlsx downloads it.
    A department liaison always gets its own department's report."""

    model = Problem
    roles = REPORT_ROLES

    def get(self, request):
        scope = self.scope
        departments = Department.objects.visible_to(request.user)
        code = request.GET.get("department", "")
        department = None
        if not scope.sees_everything:
            own = departments.filter(pk__in=scope.department_ids).order_by("position")
            department = own.filter(code=code).first() or own.first()
            if department is None:
                raise PermissionDenied("您没有所属部门。")
        elif code:
            department = departments.filter(code=code).first()
        report = services.status_report(Problem.objects.visible_to(request.user), department)
        fmt = request.GET.get("format")
        if fmt == "docx":
            return status_docx_response(report)
        if fmt == "xlsx":
            return status_xlsx_response(report)
        choices = departments if scope.sees_everything else departments.filter(pk__in=scope.department_ids)
        return render(request, "problems/status.html", {
            "report": report, "departments": choices, "department": department, "title": "整改情况报告",
            "city_wide": scope.sees_everything,
        })


def period(request):
    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = today.replace(month=1, day=1)
    try:
        end = dt.date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        end = today
    return start, end


class CommonProblemsView(RoleRequiredMixin, View):
    """普遍性问题: types found in ≥3 departments in the period, with the office's 对策建议."""

    roles = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.LEADER)

    def get(self, request, form=None, status=200):
        start, end = period(request)
        groups = services.common_problems(Problem.objects.visible_to(request.user), start, end)
        recs = PolicyRecommendation.objects.visible_to(request.user).filter(
            period_start__lte=end, period_end__gte=start).prefetch_related("problems")
        by_code = {}
        for rec in recs:
            by_code.setdefault(rec.type_code, []).append(rec)
        return render(request, "problems/common.html", {
            "title": "普遍性问题", "start": start, "end": end, "form": form, "can_recommend": self.scope.is_office,
            "groups": [(code, name, n, members, by_code.get(code, []),
                        RecommendationForm(initial={"type_code": code, "start": start, "end": end}))
                       for code, name, n, members in groups],
            "minimum": services.analysis.COMMON_MIN_DEPARTMENTS,
        }, status=status)

    def post(self, request):
        form = RecommendationForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请填写对策建议。")
            return redirect("problems:common")
        data = form.cleaned_data
        try:
            services.record_recommendation(
                by=request.user, type_code=data["type_code"], start=data["start"], end=data["end"], text=data["text"],
                problems=Problem.objects.visible_to(request.user).filter(type__code=data["type_code"])
                .select_related("type"),
            )
        except services.TransitionError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, "已记录对策建议，并关联到相关问题。")
        return redirect(f"{request.path}?start={data['start']}&end={data['end']}")


class TaxonomyView(RoleRequiredMixin, View):
    def get(self, request):
        taxonomies = Taxonomy.objects.prefetch_related("categories__types")
        return render(request, "problems/taxonomy.html", {"title": "问题分类库", "taxonomies": taxonomies})
