"""PostgreSQL: drop the ``varchar_pattern_ops`` index Django adds beside the unique ticket number.

It serves only ``LIKE 'prefix%'`` lookups, which nothing runs on ticket numbers (the search is a
case-insensitive contains, which no B-tree serves), yet every imported ticket paid for it. An
``AlterField`` of ``ticket_no`` would bring it back and needs the same step after it.
"""

from django.db import migrations


def _like_index(schema_editor, apps):
    ticket = apps.get_model("hotline", "Ticket")
    return ticket, schema_editor._create_index_name(ticket._meta.db_table, ["ticket_no"], suffix="_like")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _, name = _like_index(schema_editor, apps)
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def restore(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        ticket, _ = _like_index(schema_editor, apps)
        schema_editor.execute(schema_editor._create_like_index_sql(ticket, ticket._meta.get_field("ticket_no")))


class Migration(migrations.Migration):
    dependencies = [("hotline", "0001_initial")]

    operations = [migrations.RunPython(drop, restore)]
