"""服务对象意见: surveys from questionnaire templates, responses typed in or imported, satisfaction
per department and question, and low scores turned into problems."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from lvzhi.core.roles import OFFICE_ROLES
from lvzhi.core.scoping import CHANGE
from lvzhi.core.tabular import Sheet, xlsx_response
from lvzhi.core.views import ObjectDetailView, ObjectListView, RoleRequiredMixin
from lvzhi.org.models import Department

from .. import services
from ..filters import SurveyFilter
from ..forms import ImportForm, ResponseForm, SurveyForm
from ..models import Problem, ProblemType, QuestionnaireTemplate, Survey, SurveyResponse
from ..surveys_import import import_responses, template_header
from ..tables import SurveyTable


class SurveyListView(ObjectListView):
    model = Survey
    table_class = SurveyTable
    filterset_class = SurveyFilter
    title = "服务对象意见调查"
    create_url = "problems:survey-create"

    def base_queryset(self):
        return Survey.objects.prefetch_related("departments")


class QuestionnaireListView(RoleRequiredMixin, View):
    roles = tuple(OFFICE_ROLES)

    def get(self, request):
        return render(request, "problems/questionnaires.html",
                      {"title": "问卷模板", "templates": QuestionnaireTemplate.objects.all()})


class SurveyDetailView(ObjectDetailView):
    model = Survey
    template_name = "problems/survey_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, survey = self.request.user, self.object
        responses = SurveyResponse.objects.visible_to(user).filter(survey=survey)
        cells, by_dept = services.satisfaction(survey, responses)
        departments = list(survey.departments.visible_to(user))
        questions = survey.score_questions
        ctx["questions"] = questions
        ctx["matrix"] = [
            (d, by_dept.get(d.pk), [(q["code"], cells.get((d.pk, q["code"]))) for q in questions]) for d in departments
        ]
        names = {d.pk: d for d in departments}
        ctx["low"] = [(names[dept], code, text, avg, n) for dept, code, text, avg, n in
                      services.low_scores(survey, responses) if dept in names]
        ctx["responses"] = responses.select_related("department").prefetch_related("answers")[:200]
        ctx["response_count"] = responses.count()
        ctx["problems"] = Problem.objects.visible_to(user).filter(survey=survey).select_related("department")
        ctx["can_edit"] = self.scope.is_office
        ctx["types"] = ProblemType.objects.filter(category__taxonomy__is_current=True).select_related("category")
        return ctx


class SurveyCreateView(RoleRequiredMixin, View):
    roles = tuple(OFFICE_ROLES)

    def render(self, form, status=200):
        return render(self.request, "problems/form.html", {"form": form, "title": "新建服务对象意见调查"}, status=status)

    def get(self, request):
        return self.render(SurveyForm(user=request.user))

    def post(self, request):
        form = SurveyForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render(form, status=400)
        survey = form.save(commit=False)
        template = form.cleaned_data["template"]
        survey.questions, survey.scale_min, survey.scale_max = template.questions, template.scale_min, template.scale_max
        survey.created_by = request.user
        survey.save()
        form.save_m2m()
        messages.success(request, "已创建调查。")
        return redirect(survey)


class SurveyChildMixin(RoleRequiredMixin):
    model = Survey
    roles = tuple(OFFICE_ROLES)

    def setup_survey(self, pk):
        self.survey = get_object_or_404(Survey.objects.visible_to(self.request.user, CHANGE), pk=pk)


class ResponseCreateView(SurveyChildMixin, View):
    def render(self, form, status=200):
        return render(self.request, "problems/form.html",
                      {"form": form, "title": f"录入问卷：{self.survey}", "object": self.survey}, status=status)

    def get(self, request, pk):
        self.setup_survey(pk)
        return self.render(ResponseForm(survey=self.survey))

    def post(self, request, pk):
        self.setup_survey(pk)
        form = ResponseForm(request.POST, survey=self.survey)
        if not form.is_valid():
            return self.render(form, status=400)
        data = form.cleaned_data
        services.save_response(self.survey, by=request.user, department=data["department"],
                               respondent=data["respondent"], comment=data["comment"], answers=form.answers())
        messages.success(request, "已录入一份问卷。")
        if "again" in request.POST:
            return redirect("problems:survey-response", pk=pk)
        return redirect(self.survey)


class ResponseImportView(SurveyChildMixin, View):
    """Import responses from XLSX/CSV: every row is checked first; one bad row and nothing is written."""

    def render(self, form, report=None, status=200):
        return render(self.request, "problems/survey_import.html",
                      {"form": form, "survey": self.survey, "report": report, "title": f"导入问卷结果：{self.survey}",
                       "header": template_header(self.survey)}, status=status)

    def get(self, request, pk):
        self.setup_survey(pk)
        return self.render(ImportForm())

    def post(self, request, pk):
        self.setup_survey(pk)
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form, status=400)
        upload = form.cleaned_data["file"]
        report = import_responses(self.survey, upload, upload.name, by=request.user)
        if not report.committed:
            return self.render(form, report, status=400)
        messages.success(request, report.lines()[0])
        return redirect(self.survey)


class ResponseTemplateView(SurveyChildMixin, View):
    """An empty XLSX with the survey's columns, to fill in and import."""

    def get(self, request, pk):
        self.setup_survey(pk)
        departments = Department.objects.filter(pk__in=self.survey.departments.values("pk"))
        example = [[d.code, "", *([""] * (len(template_header(self.survey)) - 2))] for d in departments[:3]]
        return xlsx_response(f"问卷导入模板-{self.survey.pk}.xlsx",
                             [Sheet("问卷结果", template_header(self.survey), example)])


class LowScoreProblemView(SurveyChildMixin, View):
    def post(self, request, pk):
        self.setup_survey(pk)
        department = get_object_or_404(self.survey.departments.all(), pk=request.POST.get("department"))
        type_id = request.POST.get("type")
        ptype = ProblemType.objects.filter(pk=type_id).first() if type_id else None
        try:
            problem = services.problem_from_low_score(self.survey, by=request.user, department=department,
                                                      question=request.POST.get("question", ""), type=ptype)
        except services.TransitionError as exc:
            messages.error(request, exc.messages[0])
            return redirect(self.survey)
        messages.success(request, f"已生成问题 {problem.number}（分析阶段）。")
        return redirect(problem)
