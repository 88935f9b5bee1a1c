"""Roles of the platform (architecture.md, "Who uses it")."""

from django.db import models


class Role(models.TextChoices):
    OFFICE_ADMIN = "office_admin", "编办系统管理员"
    OFFICE_STAFF = "office_staff", "编办监管人员"
    LEADER = "leader", "市领导/编委成员"
    DEPARTMENT = "department", "部门联络员"
    OVERSIGHT = "oversight", "纪检监察/巡察/审计联络员"
    HOTLINE = "hotline", "12345热线中心"


class OversightBody(models.TextChoices):
    DISCIPLINE = "discipline", "纪检监察"
    TOUR = "tour", "巡察"
    AUDIT = "audit", "审计"


OFFICE_ROLES = frozenset({Role.OFFICE_ADMIN, Role.OFFICE_STAFF})
