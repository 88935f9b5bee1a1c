import django_tables2 as tables

from .models import Matter


class MatterTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name="事项名称")

    class Meta:
        model = Matter
        fields = ["code", "name", "description"]
