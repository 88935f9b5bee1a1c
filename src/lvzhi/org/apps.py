from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "lvzhi.org"
    label = "org"
    verbose_name = "部门与三定"

    def ready(self):
        from lvzhi.core.roles import Role
        from lvzhi.core.workbench import register_shortcut

        everyone = [r.value for r in Role]
        register_shortcut("部门档案", "org:departments", everyone)
        register_shortcut("导入组织机构文件", "org:import", [Role.OFFICE_ADMIN])
