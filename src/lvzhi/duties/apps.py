from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "lvzhi.duties"
    label = "duties"
    verbose_name = "三张清单"

    def ready(self):
        from auditlog.registry import auditlog

        from lvzhi.core.libraries import register_loader
        from lvzhi.core.roles import OFFICE_ROLES, Role
        from lvzhi.core.workbench import register_shortcut, register_todo
        from lvzhi.org.interchange import register_section
        from lvzhi.org.management.commands.demo import DEMO_HOOKS

        from . import demo, interchange
        from .services import todos

        register_section("matters", interchange.MattersSection())
        from .models import FinderLexicon
        from .whose import lexicon as finder_lexicon
        from .whose import service as finder_service

        # The finder's lexicon is a library an office can replace; loading one rebuilds the index.
        register_loader("finder_lexicon", finder_lexicon.load_lexicon)
        if not auditlog.contains(FinderLexicon):
            auditlog.register(FinderLexicon, exclude_fields=["data"])
        finder_service.connect()
        register_todo(todos.office_todos)
        register_todo(todos.department_todos)
        everyone = {*OFFICE_ROLES, Role.LEADER, Role.DEPARTMENT}
        register_shortcut("权责清单", "duties:power-lists", everyone)
        register_shortcut("导入权责清单", "duties:power-import", {*OFFICE_ROLES, Role.DEPARTMENT})
        register_shortcut("动态调整", "duties:adjustments", {*OFFICE_ROLES, Role.DEPARTMENT})
        register_shortcut("三定执行检查填报", "duties:check-sheet", {*OFFICE_ROLES, Role.DEPARTMENT})
        register_shortcut("权责清单统计", "duties:power-stats", OFFICE_ROLES)
        from lvzhi.problems.links import register_target

        from .models import PowerItem

        register_target(PowerItem, "权责事项", key="power_item", ref_label="职权编码", lookup=find_power_item)
        if demo.add_demo_data not in DEMO_HOOKS:
            DEMO_HOOKS.append(demo.add_demo_data)


def find_power_item(ref, user):
    """The item with this power code that the user may see, preferring the current edition."""
    from .models import PowerItem

    return (PowerItem.objects.visible_to(user).filter(code=ref)
            .order_by("-edition__is_current", "-edition__pk").first())
