import django_tables2 as tables

from .models import Department


class DepartmentTable(tables.Table):
    code = tables.Column(verbose_name="编码")
    name = tables.Column(linkify=True, verbose_name="部门名称")
    parent = tables.Column(verbose_name="上级部门", accessor="parent__label", default="—")
    assessed = tables.BooleanColumn(verbose_name="纳入评估", yesno="是,否")

    class Meta:
        model = Department
        fields = ["code", "name", "short_name", "kind", "category", "parent", "assessed"]
        order_by = ("position",)
