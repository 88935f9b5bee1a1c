from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "lvzhi.duties"
    label = "duties"
    verbose_name = "三张清单"

    def ready(self):
        from lvzhi.org.interchange import register_section

        from . import interchange

        register_section("matters", interchange.MattersSection())
        from .whose import service as finder_service

        finder_service.connect()
