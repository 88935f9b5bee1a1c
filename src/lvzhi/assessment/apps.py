from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "lvzhi.assessment"
    label = "assessment"
    verbose_name = "核心职能评估与赋分评星"

    def ready(self):
        from lvzhi.core.libraries import register_loader
        from lvzhi.core.roles import OFFICE_ROLES, Role
        from lvzhi.core.workbench import register_shortcut, register_todo
        from lvzhi.org.management.commands.demo import DEMO_HOOKS

        from . import demo, indicators, libraries, workbench

        register_loader("framework", libraries.load_framework)
        register_loader("star_rules", libraries.load_star_rules)
        indicators.register_builtin_providers()
        register_todo(workbench.todos)
        readers = {*OFFICE_ROLES, Role.LEADER, Role.DEPARTMENT}
        register_shortcut("核心职能评估", "assessment:campaigns", readers)
        register_shortcut("评估结果看板", "assessment:dashboard", readers)
        register_shortcut("相互评价", "assessment:evaluations", {Role.DEPARTMENT})
        register_shortcut("申诉处理", "assessment:appeals", OFFICE_ROLES)
        if demo.load_demo not in DEMO_HOOKS:
            DEMO_HOOKS.append(demo.load_demo)
