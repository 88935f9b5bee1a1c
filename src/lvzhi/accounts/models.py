"""Users and their role assignments."""

from django.apps import apps
from django.contrib.auth.models import AbstractUser
from django.db import models

from lvzhi.core.roles import OversightBody, Role
from lvzhi.core.scoping import Scope


class User(AbstractUser):
    display_name = models.CharField("姓名", max_length=60, blank=True)
    phone = models.CharField("电话", max_length=30, blank=True)

    class Meta:
        verbose_name = "用户"
        ordering = ["username"]

    def __str__(self):
        return self.display_name or self.username

    def compute_scope(self):
        assignments = list(self.role_assignments.all())
        roles = frozenset(a.role for a in assignments)
        own = {a.department_id for a in assignments if a.role == Role.DEPARTMENT and a.department_id}
        bodies = frozenset(a.body for a in assignments if a.role == Role.OVERSIGHT and a.body)
        if own:
            Department = apps.get_model("org", "Department")
            own = Department.descendant_ids(own)
        return Scope(roles=roles, department_ids=frozenset(own), bodies=bodies, user_id=self.pk)

    @property
    def role_labels(self):
        return "、".join(a.label for a in self.role_assignments.all())


class RoleAssignment(models.Model):
    """One role of a user; a department role names its department, an oversight role its body."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name="用户")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name="所属部门"
    )
    body = models.CharField("监督机关", max_length=20, choices=OversightBody.choices, blank=True)

    class Meta:
        verbose_name = "角色分配"
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "department", "body"], name="unique_role_assignment")
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        text = self.get_role_display()
        if self.department_id:
            text += f"（{self.department.short_name or self.department.name}）"
        if self.body:
            text += f"（{self.get_body_display()}）"
        return text

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.role == Role.DEPARTMENT and not self.department_id:
            raise ValidationError({"department": "部门联络员必须指定所属部门。"})
        if self.role == Role.OVERSIGHT and not self.body:
            raise ValidationError({"body": "监督联络员必须指定监督机关（纪检监察、巡察或审计）。"})
        if self.role != Role.DEPARTMENT and self.department_id:
            raise ValidationError({"department": "只有部门联络员需要指定所属部门。"})
        if self.role != Role.OVERSIGHT and self.body:
            raise ValidationError({"body": "只有监督联络员需要指定监督机关。"})
