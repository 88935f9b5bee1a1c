from django.apps import AppConfig


class ReformConfig(AppConfig):
    name = "lvzhi.reform"
    label = "reform"
    verbose_name = "改革支撑"

    def ready(self):
        from auditlog.registry import auditlog

        from lvzhi.core.libraries import register_loader
        from lvzhi.core.roles import OFFICE_ROLES, Role
        from lvzhi.core.workbench import register_shortcut, register_todo
        from lvzhi.org.management.commands.demo import DEMO_HOOKS

        from . import demo, providers
        from .analysis import rules
        from .models import StaffingRuleSet
        from .services import todos

        register_loader("staffing_rules", rules.load_library)
        if not auditlog.contains(StaffingRuleSet):
            auditlog.register(StaffingRuleSet)
        providers.register_builtin()
        register_todo(todos.proposal_todos)
        office = list(OFFICE_ROLES)
        register_shortcut("领导驾驶舱", "reform:overview", office + [Role.LEADER])
        register_shortcut("流程再造", "reform:processes", office + [Role.LEADER, Role.DEPARTMENT])
        register_shortcut("编制效能与合规", "reform:staffing", office + [Role.LEADER, Role.DEPARTMENT])
        register_shortcut("机构编制事项动议", "reform:proposals", office + [Role.LEADER, Role.DEPARTMENT])
        if demo.load_demo not in DEMO_HOOKS:
            DEMO_HOOKS.append(demo.load_demo)
