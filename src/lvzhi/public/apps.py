from django.apps import AppConfig


class PublicConfig(AppConfig):
    """The anonymous public site under /public/: published lists only."""

    name = "lvzhi.public"
    label = "public"
    verbose_name = "公众网站"
