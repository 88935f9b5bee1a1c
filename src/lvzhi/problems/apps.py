from django.apps import AppConfig


class ProblemsConfig(AppConfig):
    name = "lvzhi.problems"
    label = "problems"
    verbose_name = "问题与闭环管理"

    def ready(self):
        from auditlog.registry import auditlog

        from lvzhi.core.libraries import register_loader
        from lvzhi.core.roles import Role
        from lvzhi.core.schedule import register_daily_job
        from lvzhi.core.workbench import register_shortcut, register_todo
        from lvzhi.org.management.commands.demo import DEMO_HOOKS

        from . import demo, libraries, tasks, workbench
        from .models import Clue, PolicyRecommendation, ProblemShare

        for kind, loader in libraries.LOADERS.items():
            register_loader(kind, loader)
        # Records outside the department scoping are audited too.
        for model in (Clue, ProblemShare, PolicyRecommendation):
            if not auditlog.contains(model):
                auditlog.register(model)
        register_todo(workbench.todos)
        register_daily_job("整改期限检查", tasks.daily_deadline_check)
        office = [Role.OFFICE_ADMIN, Role.OFFICE_STAFF]
        register_shortcut("问题台账", "problems:ledger", [r.value for r in Role if r != Role.HOTLINE])
        register_shortcut("登记问题", "problems:create", office)
        register_shortcut("整改情况报告", "problems:status", office + [Role.LEADER, Role.DEPARTMENT])
        register_shortcut("登记线索", "problems:clue-create", [Role.OVERSIGHT])
        if demo.load_demo not in DEMO_HOOKS:
            DEMO_HOOKS.append(demo.load_demo)
        self.register_mandate_check_followup()

    @staticmethod
    def register_mandate_check_followup():
        """“转为问题” on a 三定执行检查 accepted as partly or not fulfilled; the check is a link
        target so the problem points back at it."""
        from lvzhi.duties.models import MandateCheck
        from lvzhi.duties.services import register_check_followup

        from .links import register_target
        from .services.mandate_checks import problem_from_check

        register_target(MandateCheck, "三定执行检查", key="mandate_check")
        register_check_followup("problem", "转为问题", problem_from_check)
