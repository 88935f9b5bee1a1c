"""Model fields shaped for bulk loading."""

from django.db import models


class RowidField(models.BigAutoField):
    """A big auto primary key that on SQLite is the plain rowid, without AUTOINCREMENT.

    AUTOINCREMENT makes SQLite update its sequence table on every insert, a third of the cost of
    loading a ticket row. The only difference is that the ids of deleted newest rows may be handed
    out again, which tables of imported records never do. PostgreSQL is unaffected.
    """

    def db_type_suffix(self, connection):
        return None if connection.vendor == "sqlite" else super().db_type_suffix(connection)
