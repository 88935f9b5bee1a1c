from axes.models import AccessFailureLog, AccessLog
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import ListView

from lvzhi.core.roles import OFFICE_ROLES, Role
from lvzhi.core.views import RoleRequiredMixin

from .forms import LoginForm, RoleFormSet, UserForm
from .models import User


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class UserListView(RoleRequiredMixin, ListView):
    roles = (Role.OFFICE_ADMIN,)
    template_name = "accounts/user_list.html"
    paginate_by = 50

    def get_queryset(self):
        qs = User.objects.prefetch_related("role_assignments__department").order_by("username")
        q = self.request.GET.get("q")
        if q:
            qs = qs.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
        role = self.request.GET.get("role")
        if role:
            qs = qs.filter(role_assignments__role=role).distinct()
        return qs

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "roles": Role.choices}


class UserEditView(RoleRequiredMixin, View):
    """Create or edit a user with its role assignments (office_admin only)."""

    roles = (Role.OFFICE_ADMIN,)
    model = User
    template_name = "accounts/user_form.html"

    def get_user(self, pk):
        return get_object_or_404(User, pk=pk) if pk else User()

    def get(self, request, pk=None):
        user = self.get_user(pk)
        return render(request, self.template_name, {"form": UserForm(instance=user), "roles": RoleFormSet(instance=user), "object": user})

    def post(self, request, pk=None):
        user = self.get_user(pk)
        form = UserForm(request.POST, instance=user)
        roles = RoleFormSet(request.POST, instance=user)
        if form.is_valid() and roles.is_valid():
            with transaction.atomic():
                saved = form.save()
                roles.instance = saved
                roles.save()
            messages.success(request, f"用户 {saved.username} 已保存。")
            return redirect("accounts:users")
        return render(request, self.template_name, {"form": form, "roles": roles, "object": user}, status=400)


class LoginLogView(RoleRequiredMixin, View):
    """登录日志: successful sign-ins and failed attempts."""

    roles = tuple(OFFICE_ROLES)
    template_name = "accounts/login_log.html"

    def get(self, request):
        return render(
            request,
            self.template_name,
            {
                "logins": AccessLog.objects.order_by("-attempt_time")[:100],
                "failures": AccessFailureLog.objects.order_by("-attempt_time")[:100],
            },
        )
