from django.apps import AppConfig


class HotlineConfig(AppConfig):
    name = "lvzhi.hotline"
    label = "hotline"
    verbose_name = "12345热线"

    def ready(self):
        from auditlog.registry import auditlog

        from lvzhi.core.libraries import register_loader
        from lvzhi.core.schedule import register_daily_job
        from lvzhi.core.roles import OFFICE_ROLES, Role
        from lvzhi.core.workbench import register_shortcut, register_todo
        from lvzhi.org.management.commands.demo import DEMO_HOOKS

        from . import demo, rules, tasks, workbench
        from .models import ImportRun, RuleSet

        register_loader("hotline_rules", rules.load_rules)
        # Import runs are the audit trail of bulk imports (which write no per-row entries).
        if not auditlog.contains(ImportRun):
            auditlog.register(ImportRun, exclude_fields=["report"])
        if not auditlog.contains(RuleSet):
            auditlog.register(RuleSet)
        register_todo(workbench.todos)
        register_daily_job("归并12345退单争议事项", tasks.daily_disputes)
        register_daily_job("更新12345派单建议模型", tasks.daily_routing)
        hotline = {*OFFICE_ROLES, Role.HOTLINE}
        register_shortcut("12345工单", "hotline:tickets", {*hotline, Role.LEADER, Role.DEPARTMENT})
        register_shortcut("导入12345工单", "hotline:import", hotline)
        register_shortcut("退单争议事项", "hotline:disputes", {*hotline, Role.LEADER, Role.DEPARTMENT})
        register_shortcut("热线指标", "hotline:indicators", {*hotline, Role.LEADER, Role.DEPARTMENT})
        from lvzhi.problems.links import register_target

        from .models import Ticket

        register_target(Ticket, "12345工单", key="ticket", ref_label="工单编号",
                        lookup=lambda ref, user: Ticket.objects.visible_to(user).filter(ticket_no=ref).first())
        if demo.load_demo not in DEMO_HOOKS:
            DEMO_HOOKS.append(demo.load_demo)
