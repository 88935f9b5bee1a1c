from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lvzhi.accounts"
    label = "accounts"
    verbose_name = "用户与权限"

    def ready(self):
        from lvzhi.core.roles import OFFICE_ROLES, Role
        from lvzhi.core.workbench import register_shortcut

        register_shortcut("用户与角色", "accounts:users", [Role.OFFICE_ADMIN])
        register_shortcut("操作日志", "core:auditlog", OFFICE_ROLES)
        register_shortcut("登录日志", "accounts:login-log", OFFICE_ROLES)
