"""One problem: its page with the timeline, the loop actions, editing, sharing and the notice."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from lvzhi.core.models import ConcurrencyError
from lvzhi.core.roles import OFFICE_ROLES, Role
from lvzhi.core.scoping import CHANGE
from lvzhi.core.views import ObjectDetailView, RoleRequiredMixin

from .. import links, services, states
from ..exports.notice import notice_response
from ..forms import ActionForm, LinkForm, ProblemForm, ShareForm
from ..models import Clue, Problem, ProblemEvent, RectificationNotice
from .ledger import LEDGER_ROLES


def actor_kind(scope):
    if scope.is_office:
        return states.OFFICE
    if scope.has(Role.DEPARTMENT):
        return states.DEPARTMENT
    return None


class ProblemDetailView(ObjectDetailView):
    model = Problem
    roles = LEDGER_ROLES
    template_name = "problems/detail.html"

    def base_queryset(self):
        return Problem.objects.select_related(
            "department", "category__taxonomy", "type", "handler", "mandate_duty__mandate__department",
            "boundary_clause__mandate__department", "matter", "duty_point__link__matter", "inspection", "survey",
        ).prefetch_related("related_departments")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        p, scope, user = self.object, self.scope, self.request.user
        ctx["events"] = (
            ProblemEvent.objects.visible_to(user).filter(problem=p)
            .select_related("actor").prefetch_related("files", "report")
        )
        ctx["notices"] = RectificationNotice.objects.visible_to(user).filter(problem=p)
        ctx["extensions"] = p.extensions.visible_to(user)
        ctx["links"] = links.resolved_links(p, user)
        kind = actor_kind(scope)
        can_act = Problem.objects.visible_to(user, CHANGE).filter(pk=p.pk).exists()
        ctx["actions"] = states.available(p.state, kind) if kind and can_act else []
        ctx["can_edit"] = scope.is_office and p.state not in ("closed", "withdrawn")
        if scope.is_office:
            # A refused link comes back here with what was typed, so it can be corrected.
            ctx["link_form"] = LinkForm(initial={"kind": self.request.GET.get("link_kind"),
                                                 "ref": self.request.GET.get("link_ref", "")[:64]})
        if scope.sees_everything:
            ctx["shares"] = p.shares.all()
            ctx["share_form"] = ShareForm()
            ctx["recommendations"] = p.recommendations.all()
            ctx["clue"] = getattr(p, "clue", None)
        elif scope.bodies:
            ctx["clue"] = getattr(p, "clue", None) if getattr(p, "clue", None) and p.clue.body in scope.bodies else None
        # Later clues an oversight body filed about this shared problem (巡察审计联动, both ways).
        ctx["follow_up_clues"] = Clue.objects.visible_to(user).filter(about=p).select_related("problem")
        ctx["overdue"] = p.is_overdue()
        return ctx


class ProblemCreateView(RoleRequiredMixin, View):
    roles = tuple(OFFICE_ROLES)
    template_name = "problems/form.html"

    def get(self, request):
        return self.render(ProblemForm(user=request.user, initial=request.GET.dict()))

    def render(self, form, status=200):
        return render(self.request, self.template_name, {"form": form, "title": "登记问题"}, status=status)

    def post(self, request):
        form = ProblemForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render(form, status=400)
        fields, related = form.service_fields()
        files = form.cleaned_data.get("files") or []
        target = [form.link_target] if form.link_target is not None else []
        problem = services.create_problem(by=request.user, related=related, files=files, links=target, **fields)
        messages.success(request, f"已登记问题 {problem.number}，当前处于“分析”阶段。")
        return redirect(problem)


class ProblemUpdateView(RoleRequiredMixin, View):
    model = Problem
    roles = tuple(OFFICE_ROLES)
    template_name = "problems/form.html"

    def setup_object(self, pk):
        self.object = get_object_or_404(Problem.objects.visible_to(self.request.user, CHANGE), pk=pk)

    def render(self, form, status=200):
        return render(self.request, self.template_name, {"form": form, "title": f"修改问题 {self.object.number}",
                                                         "object": self.object}, status=status)

    def get(self, request, pk):
        self.setup_object(pk)
        return self.render(ProblemForm(instance=self.object, user=request.user))

    def post(self, request, pk):
        self.setup_object(pk)
        form = ProblemForm(request.POST, instance=Problem.objects.get(pk=pk), user=request.user)
        if not form.is_valid():
            return self.render(form, status=400)
        fields, related = form.service_fields()
        try:
            services.update_problem(self.object, by=request.user, related=related,
                                    expected_version=form.cleaned_data.get("expected_version"), **fields)
        except ConcurrencyError:
            form.add_error(None, "保存失败：该问题在您编辑期间已被他人修改。您的输入保留在下方，请核对后重新保存。")
            form.data = form.data.copy()
            form.data["expected_version"] = Problem.objects.get(pk=pk).version
            return self.render(form, status=409)
        except services.TransitionError as exc:
            form.add_error(None, exc.messages[0])
            return self.render(form, status=400)
        messages.success(request, "已保存。")
        return redirect("problems:detail", pk=pk)


class ActionView(RoleRequiredMixin, View):
    """GET ?action=… shows the form of one loop action; POST runs it through the service."""

    model = Problem
    roles = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.DEPARTMENT)
    template_name = "problems/action.html"

    def setup_object(self, pk, action):
        self.object = get_object_or_404(Problem.objects.visible_to(self.request.user), pk=pk)
        if action not in states.ACTIONS:
            raise Http404
        transition = states.find(action, self.object.state)
        kind = actor_kind(self.scope)
        if transition is not None and transition.by != kind:
            raise PermissionDenied(f"只有{'编办人员' if transition.by == states.OFFICE else '责任部门联络员'}可以“{transition.label}”。")

    def render(self, form, action, status=200):
        label = form.transition.label if form else states.ACTION_LABELS[action]
        return render(self.request, self.template_name,
                      {"object": self.object, "form": form, "action": action, "title": label}, status=status)

    def get(self, request, pk):
        action = request.GET.get("action", "")
        self.setup_object(pk, action)
        form = ActionForm.for_action(action, self.object.state)
        if form is None:
            messages.error(request, f"问题当前处于“{self.object.get_state_display()}”状态，不能“{states.ACTION_LABELS[action]}”。")
            return redirect(self.object)
        form.initial["expected_version"] = self.object.version
        return self.render(form, action)

    def post(self, request, pk):
        action = request.POST.get("action", "")
        self.setup_object(pk, action)
        form = ActionForm.for_action(action, self.object.state, request.POST, request.FILES)
        if form is None:
            messages.error(request, f"问题当前处于“{self.object.get_state_display()}”状态，不能“{states.ACTION_LABELS[action]}”。")
            return redirect(self.object)
        if not form.is_valid():
            return self.render(form, action, status=400)
        try:
            services.perform(self.object, action, by=request.user, **form.params())
        except ConcurrencyError:
            form.add_error(None, "操作失败：该问题在您操作期间已被他人处理，请返回查看最新状态。")
            return self.render(form, action, status=409)
        except services.TransitionError as exc:
            form.add_error(None, exc.messages[0])
            return self.render(form, action, status=400)
        messages.success(request, f"已{form.transition.label}。")
        return redirect(self.object)


class ShareView(RoleRequiredMixin, View):
    model = Problem
    roles = tuple(OFFICE_ROLES)

    def post(self, request, pk):
        problem = get_object_or_404(Problem.objects.visible_to(request.user, CHANGE), pk=pk)
        form = ShareForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if data["remove"]:
                services.unshare(problem, by=request.user, body=data["body"], note=data["note"])
                messages.success(request, "已取消共享。")
            else:
                services.share(problem, by=request.user, body=data["body"], note=data["note"])
                messages.success(request, "已共享。")
        return redirect(problem)


class LinkView(RoleRequiredMixin, View):
    """关联其他记录 (office): link the problem to a power item, a ticket… by its reference, or remove a link."""

    model = Problem
    roles = tuple(OFFICE_ROLES)

    def post(self, request, pk):
        problem = get_object_or_404(Problem.objects.visible_to(request.user, CHANGE), pk=pk)
        form = LinkForm(request.POST)
        if not form.is_valid():
            for error in form.non_field_errors():
                messages.error(request, error)
            return self.back(problem, request.POST)
        data = form.cleaned_data
        try:
            if data.get("remove"):
                links.unlink(problem, data["remove"], by=request.user)
                messages.success(request, "已取消关联。")
            else:
                item = links.link_by_ref(problem, data["kind"], data["ref"], by=request.user)
                messages.success(request, f"已关联{item.label}。")
        except services.TransitionError as exc:
            messages.error(request, exc.messages[0])
            return self.back(problem, request.POST)
        return redirect(problem)

    @staticmethod
    def back(problem, post):
        if post.get("remove"):
            return redirect(problem)
        query = urlencode({"link_kind": post.get("kind", ""), "link_ref": post.get("ref", "")})
        return redirect(f"{problem.get_absolute_url()}?{query}#links")


class NoticeDownloadView(RoleRequiredMixin, View):
    """整改通知书 .docx, written from the notice record."""

    model = RectificationNotice
    roles = LEDGER_ROLES

    def get(self, request, pk):
        notice = get_object_or_404(
            RectificationNotice.objects.visible_to(request.user).select_related("problem__department"), pk=pk)
        return notice_response(notice)
