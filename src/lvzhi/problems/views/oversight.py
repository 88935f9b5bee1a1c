"""线索 from 纪检监察, 巡察 and 审计 liaisons; they see the problems shared with their body on the ledger."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from lvzhi.core.roles import Role
from lvzhi.core.views import RoleRequiredMixin

from .. import services
from ..forms import ClueForm
from ..models import Clue

CLUE_ROLES = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.LEADER, Role.OVERSIGHT)


class ClueListView(RoleRequiredMixin, View):
    roles = CLUE_ROLES

    def get(self, request):
        clues = Clue.objects.visible_to(request.user).select_related("department", "problem", "about")[:200]
        return render(request, "problems/clues.html", {"title": "监督机关线索", "clues": clues,
                                                       "can_create": bool(self.scope.bodies)})


class ClueCreateView(RoleRequiredMixin, View):
    roles = (Role.OVERSIGHT,)

    def render(self, form, status=200):
        return render(self.request, "problems/form.html", {"form": form, "title": "登记线索"}, status=status)

    def get(self, request):
        return self.render(ClueForm(user=request.user, initial={"about": request.GET.get("about")}))

    def post(self, request):
        form = ClueForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render(form, status=400)
        data = form.cleaned_data
        try:
            clue = services.register_clue(by=request.user, title=data["title"], description=data["description"],
                                          department=data["department"], about=data["about"], files=data["files"])
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.render(form, status=403)
        messages.success(request, "线索已移交编办，进入问题分析环节。")
        return redirect(clue)


class ClueDetailView(RoleRequiredMixin, View):
    model = Clue
    roles = CLUE_ROLES

    def get(self, request, pk):
        clue = get_object_or_404(
            Clue.objects.visible_to(request.user).select_related("department", "problem", "about", "created_by"), pk=pk)
        return render(request, "problems/clue_detail.html", {"title": clue.title, "clue": clue,
                                                             "files": clue.files.all()})
