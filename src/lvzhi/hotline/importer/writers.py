"""Set-based writes of checked rows: no model instances, no per-row queries.

Per batch the writer resolves the batch's keys in one query (only when the table held rows before
the import began) and inserts the new rows; rows that already exist are staged in a temporary
table and applied with one ``UPDATE … FROM`` that only touches rows whose values differ, so its
row count is the number updated and the rest are unchanged. SQLite inserts with ``executemany``
in the import's one transaction, with a larger page cache while it runs; PostgreSQL streams new
tickets, which arrive as Arrow tables, through one CSV ``COPY`` for the whole file when no lookups
interleave, so they never become Python objects. A large load into a table it outgrows drops the
ticket table's indexes inside the transaction — on PostgreSQL the primary key and the unique
ticket number too, unless a foreign key depends on them — and rebuilds them before commit (a sort
costs far less than a million index insertions; a repeated key still fails the rebuild and rolls
everything back). On SQLite readers keep their snapshot; on PostgreSQL they wait for the commit.

New tickets into an empty table get their ids here, from a range reserved at the start (on
PostgreSQL the table is locked against other writers until commit), so the returns of the same
import find their tickets' ids without asking the database (``ticket_ids``).
"""

import datetime as dt
import io
import itertools
import queue
import threading

import numpy as np
from django.db import connection

from ..models import Ticket, TicketReturn

TICKET_FIELDS = ("ticket_no", "received_at", "month", "received_wd", "content", "kind", "address", "handler_id",
                 "handler_name", "closed_at", "closed_wd", "result", "satisfaction")
RETURN_FIELDS = ("ticket_id", "returned_at", "from_department_id", "from_name", "reason", "to_department_id",
                 "to_name", "key_hash")
# Appended to every new row. On PostgreSQL the timestamps and version are left to the columns'
# database defaults (fewer values to format and parse); SQLite evaluates such defaults row by row,
# which costs more than passing the values.
STAMP_FIELDS = {"postgresql": ("created_by_id",), "sqlite": ("created_at", "updated_at", "version", "created_by_id")}
CHUNK = 5000  # keys per lookup query (SQLite allows 32,766 parameters)
ROWS_PER_INSERT = 20  # SQLite: new tickets per INSERT statement
QUICK_STATISTICS = 30  # PostgreSQL: the statistics target of the ANALYZE after a bulk load (default 100)
BULK_ROWS = 100_000  # a load at least this large, and larger than the table, rebuilds indexes after


def _chunks(items, size=CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


class Writer:
    """Writes through Django's connection (SQLite, and the base of the PostgreSQL writer)."""

    # Whether a CSV is better checked in a process of its own (``forked``): SQLite's writing is
    # done in this process, and competes for the interpreter lock with checking in a thread.
    check_apart = True

    def __init__(self, user_id=None, expect_rows=0, expect_returns=0):
        self.vendor = connection.vendor
        self.expect_rows, self.expect_returns = expect_rows, expect_returns
        now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        self.now = now.strftime("%Y-%m-%d %H:%M:%S") if self.vendor == "sqlite" else now.isoformat()
        # Checked rows arrive with the values of the stamp fields already appended.
        self.stamp_fields = STAMP_FIELDS.get(self.vendor, STAMP_FIELDS["sqlite"])
        self.stamp = (user_id,) if len(self.stamp_fields) == 1 else (self.now, self.now, 1, user_id)
        self.dropped = {}  # table -> the statements that rebuild what was dropped
        self._cache_size = None
        self._staging = set()
        # new tickets' ids, reserved in ``begin`` when the table is empty: the next one to give,
        # and per block given the tickets' hash() of ticket_no and their numbers, in id order
        self.first_id = self.next_id = None
        self._hashes, self._numbers, self._known = [], [], None

    # -- lifecycle -----------------------------------------------------------------------------

    def begin(self):
        """Called inside the import transaction."""
        self.lookup_tickets = Ticket._base_manager.exists()
        if not self.lookup_tickets:  # ids will be given here: no other writer until commit
            self._lock_tickets()
            self.lookup_tickets = Ticket._base_manager.exists()  # unless one came first
        self.lookup_returns = TicketReturn._base_manager.exists()
        with connection.cursor() as cursor:
            if self.vendor == "sqlite":
                cursor.execute("PRAGMA cache_size")
                self._cache_size = cursor.fetchone()[0]
                cursor.execute("PRAGMA cache_size = -8192")  # 8 MB while importing: index rebuilds sort in as much again
        for model, expect, lookup in ((Ticket, self.expect_rows, self.lookup_tickets),
                                      (TicketReturn, self.expect_returns, self.lookup_returns)):
            if expect >= BULK_ROWS and expect > (model._base_manager.count() if lookup else 0):
                self._drop_indexes(model._meta.db_table, keys=not lookup)
        if not self.lookup_tickets:
            self.first_id = self.next_id = self._reserve_ids()

    def _lock_tickets(self):
        """SQLite: nothing to do: the import's first write takes the database's write lock, and
        a writer that came first makes it fail rather than interleave."""

    def _reserve_ids(self):
        """The first id for new tickets: past every id in the table, and past every id it has had
        if its key is AUTOINCREMENT (kept in ``sqlite_sequence``, which explicit ids move on)."""
        table = Ticket._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT max(id) FROM {table}")
            highest = cursor.fetchone()[0] or 0
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")
            if cursor.fetchone():
                cursor.execute("SELECT max(seq) FROM sqlite_sequence WHERE name = %s", [table])
                highest = max(highest, cursor.fetchone()[0] or 0)
            return highest + 1

    def _release_ids(self):
        """The ids given are used; SQLite's sequence followed them."""

    def end_tickets(self, failed=False):
        """The tickets phase is over: the ticket table's indexes come back, so the returns' lookups
        by ticket number use them (PostgreSQL also closes its COPY here)."""
        if not failed:
            if self.first_id is not None:
                self._release_ids()
            self._rebuild(Ticket._meta.db_table)

    def finish(self):
        for table in list(self.dropped):
            self._rebuild(table)

    def _rebuild(self, table):
        statements = self.dropped.pop(table, None)
        if not statements:
            return
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":  # sort a million keys in memory rather than on disk
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            else:  # a sort that spills to disk may use a second thread
                cursor.execute("PRAGMA threads = 2")
            for sql in statements:
                cursor.execute(sql)
            if self.vendor == "postgresql":
                # A table that just grew tenfold needs statistics now, for the queries that follow;
                # a small sample suffices for that, and autovacuum (where on) analyses it fully after commit.
                cursor.execute("SELECT current_setting('default_statistics_target')")
                usual = cursor.fetchone()[0]
                cursor.execute("SELECT set_config('default_statistics_target', %s, true)", [str(QUICK_STATISTICS)])
                cursor.execute(f"ANALYZE {table}")
                cursor.execute("SELECT set_config('default_statistics_target', %s, true)", [usual])

    def close(self):
        """Always called, after commit or rollback."""
        if self._cache_size is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(self._cache_size)}")
                for temp in self._staging:
                    cursor.execute(f"DROP TABLE IF EXISTS temp.{temp}")

    def _drop_indexes(self, table, keys):
        """Drop ``table``'s indexes until ``_rebuild``; with ``keys`` (nothing is looked up in the
        table during the import) on PostgreSQL its primary and unique keys too. Partial indexes stay:
        they cover few rows by design (tickets in a dispute, which new tickets are not), and
        rebuilding one would cost a scan of the whole table."""
        dropped = self.dropped.setdefault(table, [])
        with connection.cursor() as cursor:
            if self.vendor == "sqlite":  # its unique constraints cannot be dropped
                cursor.execute("SELECT m.name, m.sql FROM sqlite_master m JOIN pragma_index_list(%s) i ON i.name = m.name "
                               "WHERE m.type = 'index' AND m.sql IS NOT NULL AND NOT i.\"unique\" AND NOT i.partial",
                               [table])
                indexes = cursor.fetchall()
            else:
                cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                               "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass) AND indexname NOT IN "
                               "(SELECT c.relname FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid "
                               "WHERE x.indrelid = %s::regclass AND x.indpred IS NOT NULL)", [table, table, table])
                indexes = cursor.fetchall()
                cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
                               "AND contype IN ('p', 'u') AND NOT EXISTS (SELECT 1 FROM pg_constraint f "
                               "WHERE f.confrelid = %s::regclass)", [table, table])
                for name, definition in cursor.fetchall() if keys else ():
                    cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                    dropped.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            for name, sql in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
                dropped.append(sql)

    # -- shared steps --------------------------------------------------------------------------

    def _select(self, cursor, table, key, columns, values):
        names = ", ".join(columns)
        if self.vendor == "postgresql":
            cursor.execute(f"SELECT {names} FROM {table} WHERE {key} = ANY(%s)", [list(values)])
        else:
            marks = ", ".join(["%s"] * len(values))
            cursor.execute(f"SELECT {names} FROM {table} WHERE {key} IN ({marks})", list(values))
        return cursor.fetchall()

    def _lookup(self, table, key, values):
        found = {}
        with connection.cursor() as cursor:
            for part in _chunks(list(set(values))):
                found.update(self._select(cursor, table, key, (key, "id"), part))
        return found

    def _insert(self, table, fields, rows):
        """SQLite: ``ROWS_PER_INSERT`` rows per statement (see ``ticket_table``), then the rest."""
        columns = fields + self.stamp_fields
        whole = len(rows) - len(rows) % ROWS_PER_INSERT
        groups = [list(itertools.chain.from_iterable(rows[start:start + ROWS_PER_INSERT]))
                  for start in range(0, whole, ROWS_PER_INSERT)]
        _insert_groups(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ", f"({', '.join(['?'] * len(columns))})",
                       groups, rows[whole:])

    def _stage(self, cursor, table, fields, rows):
        """Put ``(id, *values)`` rows into a temporary table shaped like ``table``."""
        temp = f"{table}_incoming"
        columns = ("id",) + fields
        if temp not in self._staging:
            cursor.execute(f"DROP TABLE IF EXISTS temp.{temp}")
            cursor.execute(f"CREATE TEMP TABLE {temp} AS SELECT {', '.join(columns)} FROM {table} WHERE 1 = 0")
            self._staging.add(temp)
        else:
            cursor.execute(f"DELETE FROM {temp}")
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {temp} ({', '.join(columns)}) VALUES ({marks})", rows)
        return temp

    def _update(self, table, fields, existing):
        """Apply ``(id, *values)`` rows to ``table`` where anything differs; returns how many changed."""
        if not existing:
            return 0
        with connection.cursor() as cursor:
            temp = self._stage(cursor, table, fields, existing)
            sets = ", ".join(f"{f} = s.{f}" for f in fields)
            differs = " OR ".join(f"{table}.{f} IS DISTINCT FROM s.{f}" if self.vendor == "postgresql"
                                  else f"{table}.{f} IS NOT s.{f}" for f in fields)
            cursor.execute(f"UPDATE {table} SET {sets}, updated_at = %s, version = {table}.version + 1 "
                           f"FROM {temp} s WHERE {table}.id = s.id AND ({differs})", [self.now])
            return cursor.rowcount

    def _write(self, table, fields, rows, key, lookup):
        if not rows:
            return 0, 0, 0
        if not lookup:
            self._insert_new(table, fields, rows)
            return len(rows), 0, 0
        ids = self._lookup(table, fields[key], [r[key] for r in rows])
        width = len(fields)
        new = [r for r in rows if r[key] not in ids]
        existing = [(ids[r[key]],) + r[:width] for r in rows if r[key] in ids]
        self._insert_new(table, fields, new)
        updated = self._update(table, fields, existing)
        return len(new), updated, len(existing) - updated

    def _insert_new(self, table, fields, rows):
        if rows:
            self._insert(table, fields, rows)

    # -- what the importer calls ---------------------------------------------------------------

    def tickets(self, rows):
        """Write checked ticket rows; returns ``(created, updated, unchanged)``."""
        if self.first_id is not None:
            if rows:
                self._write_given(self._give_ids(rows))
            return len(rows), 0, 0
        return self._write(Ticket._meta.db_table, TICKET_FIELDS, rows, 0, self.lookup_tickets)

    def _give_ids(self, rows):
        """``rows`` of new tickets as ``(id, *values)``, their ids given and remembered."""
        import pyarrow as pa

        first = self.next_id
        self.next_id += len(rows)
        numbers = [row[0] for row in rows]
        self._numbers.append(pa.array(numbers, pa.string()))
        self._hashes.append(np.fromiter(map(_hash, numbers), np.int64, len(numbers)))
        return [(first + i,) + tuple(row) for i, row in enumerate(rows)]

    def _write_given(self, rows):
        self._insert(Ticket._meta.db_table, ("id",) + TICKET_FIELDS, rows)

    @property
    def ticket_columns(self):
        """The columns of a table of tickets ``ticket_table`` takes."""
        return TICKET_FIELDS + self.stamp_fields

    def prepare_tickets(self, table, rows=(), hashes=None):
        """New tickets — an Arrow table of ``ticket_columns``, and the ``rows`` the row checker
        passed, as values — in the form ``ticket_table`` writes, with their ids given. ``hashes``
        are the table's ``hash()`` of ticket_no, when the caller has them. Called ahead of the
        writing where the file is checked in a thread (``run._Ahead``), so that building the rows
        overlaps the database writing the previous ones."""
        import pyarrow as pa

        first, size = self.next_id, table.num_rows
        self.next_id += size
        numbers = table.column("ticket_no")
        # kept as a copy: the block may be a view of a larger buffer (``forked``) that must not stay alive
        self._numbers.extend(chunk.copy_to(pa.default_cpu_memory_manager()) for chunk in numbers.chunks)
        self._hashes.append(np.fromiter(hashes if hashes is not None else map(_hash, numbers.to_pylist()),
                                        np.int64, size))
        return Prepared(size, self._prepared(table, first), self._give_ids(rows) if rows else ())

    def _prepared(self, table, first):
        """SQLite: the values of ``ROWS_PER_INSERT`` rows at a time in one flat list, then the rows
        left over, the id first and without the stamp, which is the same on every row."""
        width, size = len(TICKET_FIELDS) + 1, table.num_rows
        values = [None] * (width * size)  # row after row, filled a column at a time at C speed
        values[0::width] = range(first, first + size)
        for position, column in enumerate(table.columns[:width - 1], 1):
            values[position::width] = _python_values(column)
        whole = size - size % ROWS_PER_INSERT
        step = width * ROWS_PER_INSERT
        groups = [values[start:start + step] for start in range(0, whole * width, step)]
        rest = [values[start:start + width] for start in range(whole * width, size * width, width)]
        return groups, rest

    def ticket_table(self, table):
        """Write checked tickets given as an Arrow table of ``ticket_columns``, or as ``prepare_tickets``
        made them."""
        if not _size(table):
            return 0, 0, 0
        if self.lookup_tickets:
            return self.tickets(list(zip(*(column.to_pylist() for column in table.columns))))
        prepared = table if isinstance(table, Prepared) else self.prepare_tickets(table)
        groups, rest = prepared.data
        # The stamp is the same on every row: written into the statement, it is not bound per row.
        stamp = ", ".join("NULL" if v is None else str(v) if isinstance(v, int) else f"'{v}'" for v in self.stamp)
        row = f"({', '.join(['?'] * (len(TICKET_FIELDS) + 1))}, {stamp})"
        insert = f"INSERT INTO {Ticket._meta.db_table} ({', '.join(('id',) + TICKET_FIELDS + self.stamp_fields)}) VALUES "
        _insert_groups(insert, row, groups, rest)
        if prepared.rows:
            self._write_given(prepared.rows)
        return prepared.num_rows + len(prepared.rows), 0, 0

    @property
    def gives_ids(self):
        """Whether new tickets get their ids here (the table was empty), so ``given_ids`` knows them."""
        return self.first_id is not None

    def ticket_ids(self, numbers, known=None):
        """``{ticket_no: id}`` for the given ticket numbers (including tickets written by this import).
        The tickets this import gave ids are found in memory (``given_ids``, or ``known``, its
        answer worked out ahead) and, the table having been empty, there are no others."""
        if self.first_id is None:
            return self._lookup(Ticket._meta.db_table, "ticket_no", numbers)
        found, unsure = known if known is not None else self.given_ids(numbers)
        if unsure:
            found.update(self._lookup(Ticket._meta.db_table, "ticket_no", unsure))
        return found

    def given_ids(self, numbers):
        """``({ticket_no: id}, unsure)`` for the numbers of tickets this import gave ids, found in
        memory by hash and then the number compared, without the database (so another thread may
        ask, once the tickets are all given ids). ``unsure`` are numbers whose hash another
        number has too (about one chance in 10^7 per million tickets): the database knows them."""
        if not numbers:
            return {}, []
        ids, unsure = self._given(numbers)
        unsure = list(itertools.compress(numbers, unsure.tolist())) if unsure.any() else []
        return {n: pk for n, pk in zip(numbers, ids.tolist()) if pk >= 0}, unsure

    def given_arrays(self, block):
        """``given_ids`` for a ``columnar.ReturnBlock``: its ``ids``, -1 where the ticket is not one
        this import gave an id or its hash is shared (the row path then asks the database)."""
        numbers = block.table.column(0).to_pylist()
        block.ids = self._given(numbers)[0] if numbers else np.zeros(0, np.int64)
        return block

    def _given(self, numbers):
        """Per number, the id this import gave its ticket or -1, and whether its hash is another's."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if self._known is None:  # the tickets are all written by now
            hashes = np.concatenate(self._hashes) if self._hashes else np.zeros(0, np.int64)
            order = np.argsort(hashes)
            self._known = (hashes[order], order, pa.chunked_array(self._numbers, pa.string()))
            self._hashes, self._numbers = [], []
        hashes, order, written = self._known
        if not len(hashes):
            return np.full(len(numbers), -1, np.int64), np.zeros(len(numbers), bool)
        asked = np.fromiter(map(_hash, numbers), np.int64, len(numbers))
        at = np.minimum(np.searchsorted(hashes, asked), len(hashes) - 1)
        positions = order[at]
        same = pc.equal(written.take(pa.array(positions)), pa.array(numbers, pa.string()))
        same_hash = hashes[at] == asked
        hit = same_hash & same.to_numpy(zero_copy_only=False)
        return np.where(hit, positions + self.first_id, -1), same_hash & ~hit

    def returns(self, rows):
        """Write return rows whose first value is the ticket id; ``(created, updated, unchanged)``."""
        return self._write(TicketReturn._meta.db_table, RETURN_FIELDS, rows, 7, self.lookup_returns)

    @property
    def takes_return_tables(self):
        """Whether new returns may come as Arrow tables (``return_table``)."""
        return False


def _insert_groups(insert, row, groups, rest):
    """SQLite: ``groups`` of ``ROWS_PER_INSERT`` rows' values, one statement each, then the ``rest``
    row by row. Several rows per statement halve SQLite's per-statement work; the driver's own
    cursor spares Django's placeholder rewriting of a long statement on every call."""
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    try:
        if groups:
            cursor.executemany(insert + ", ".join([row] * ROWS_PER_INSERT), groups)
        if rest:
            cursor.executemany(insert + row, rest)
    finally:
        cursor.close()


class Prepared:
    """A block of new tickets ready to write: ``num_rows`` and the writer's own form of them, and
    ``rows`` the row checker passed, as ``(id, *values)``."""

    __slots__ = ("num_rows", "data", "rows")

    def __init__(self, num_rows, data, rows=()):
        self.num_rows, self.data, self.rows = num_rows, data, rows


_hash = hash  # the key the checker's ``seen`` uses too (a test gives it collisions)


def _size(table):
    return table.num_rows + len(table.rows) if isinstance(table, Prepared) else table.num_rows


def _python_values(column):
    """A column as Python values. A text column with few distinct values (kinds, ratings, unit
    names) shares one string object per value, whose UTF-8 form SQLite then binds without
    encoding it again for every row."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_string(column.type) or column.null_count:
        return column.to_pylist()
    encoded = pc.dictionary_encode(column.combine_chunks())
    if len(encoded.dictionary) * 4 > len(column):
        return column.to_pylist()
    return list(map(encoded.dictionary.to_pylist().__getitem__, encoded.indices.to_pylist()))


class CopyWriter(Writer):
    """PostgreSQL: ``COPY`` for new rows and for staging existing ones."""

    # The server's process parses and stores the rows: with a third busy process on two cores the
    # checking gains nothing from a process of its own.
    check_apart = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._stream = None  # the open COPY of new tickets while no lookups interleave

    def _copy_sql(self, table, columns, options=""):
        return f"COPY {table} ({', '.join(columns)}) FROM STDIN{options}"

    def _lock_tickets(self):
        """Other writers wait until commit (readers do not), so the ids reserved stay this import's."""
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {Ticket._meta.db_table} IN EXCLUSIVE MODE")

    def _reserve_ids(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [Ticket._meta.db_table])
            return cursor.fetchone()[0]

    def _release_ids(self):
        """The sequence goes on after the last id given."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)",
                           [Ticket._meta.db_table, self.next_id])

    def _prepared(self, table, first):
        """PostgreSQL: the block, its ids first, as the CSV text the COPY takes."""
        import pyarrow as pa

        return _csv(table.add_column(0, "id", pa.array(range(first, first + table.num_rows), pa.int64())))

    def _write_given(self, rows):
        import pyarrow as pa

        columns = [pa.array(values) for values in zip(*rows)]
        self._open_stream().write(_csv(pa.table(columns, names=["id", *self.ticket_columns])))

    def ticket_table(self, table):
        if self.lookup_tickets or not _size(table):
            return super().ticket_table(table)
        prepared = table if isinstance(table, Prepared) else self.prepare_tickets(table)
        self._open_stream().write(prepared.data)
        if prepared.rows:
            self._write_given(prepared.rows)
        return prepared.num_rows + len(prepared.rows), 0, 0

    def _open_stream(self):
        """The one CSV COPY of new tickets: Arrow quotes every text value, so an empty one stays
        empty and only a missing one (unquoted) is NULL."""
        if self._stream is None:
            self._cursor = connection.cursor()
            self._copy_cm = self._cursor.cursor.copy(
                self._copy_sql(Ticket._meta.db_table, ("id",) + self.ticket_columns, " WITH (FORMAT csv)"))
            self._stream = _Sender(self._copy_cm.__enter__())
        return self._stream

    @property
    def takes_return_tables(self):
        """Into an empty returns table, with every ticket's id known here: no lookups to make."""
        return self.gives_ids and not self.lookup_returns

    def return_table(self, table, ids):
        """Write new returns: ``table`` holds a checked row's values per row (ticket number first,
        then ``RETURN_FIELDS`` after the ticket id, then the stamp), ``ids`` their tickets' ids."""
        import pyarrow as pa

        if not table.num_rows:
            return 0
        table = table.set_column(0, "ticket_id", pa.array(ids, pa.int64()))
        sql = self._copy_sql(TicketReturn._meta.db_table, RETURN_FIELDS + self.stamp_fields, " WITH (FORMAT csv)")
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            copy.write(_csv(table))
        return table.num_rows

    def _insert_new(self, table, fields, rows):
        if not rows:
            return
        with connection.cursor() as cursor, cursor.cursor.copy(self._copy_sql(table, fields + self.stamp_fields)) as copy:
            write = copy.write_row
            for row in rows:
                write(row)

    def _stage(self, cursor, table, fields, rows):
        temp = f"{table}_incoming"
        columns = ("id",) + fields
        if temp not in self._staging:
            cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{temp}")  # left by an enclosing transaction
            cursor.execute(f"CREATE TEMP TABLE {temp} ON COMMIT DROP AS SELECT {', '.join(columns)} FROM {table} "
                           "WITH NO DATA")
            self._staging.add(temp)
        else:
            cursor.execute(f"TRUNCATE {temp}")
        with cursor.cursor.copy(self._copy_sql(temp, columns)) as copy:
            for row in rows:
                copy.write_row(row)
        return temp

    def end_tickets(self, failed=False):
        if self._stream is not None:
            self._end_stream(failed)
        super().end_tickets(failed)

    def _end_stream(self, failed):
        stream, sender, self._stream = self._copy_cm, self._stream, None
        try:
            sender.close()
        except Exception:
            failed = True
            raise
        finally:
            self._close_copy(stream, failed)

    def _close_copy(self, stream, failed):
        try:
            if failed:  # tell the server to abandon the COPY; the transaction then rolls back
                try:
                    stream.__exit__(RuntimeError, RuntimeError("导入中止"), None)
                except Exception:  # the abandoned COPY reports itself as failed, which is the point
                    pass
            else:
                stream.__exit__(None, None, None)
        finally:
            self._cursor.close()


def _csv(table):
    import pyarrow.csv as pacsv  # loaded only by imports that need it

    buffer = io.BytesIO()
    pacsv.write_csv(table, buffer, pacsv.WriteOptions(include_header=False, quoting_style="needed"))
    return buffer.getvalue()


class _Sender:
    """Writes to a COPY from a thread, so the server parses and stores one block while this process
    reads and checks the next; at most two blocks wait, so memory stays flat when the server is
    the slower side."""

    def __init__(self, copy):
        self.copy, self.error = copy, None
        self.queue = queue.Queue(maxsize=2)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while (data := self.queue.get()) is not None:
            if self.error is None:
                try:
                    self.copy.write(data)
                except BaseException as exc:  # handed to the importing thread
                    self.error = exc

    def write(self, data):
        if self.error is not None:
            raise self.error
        self.queue.put(data)

    def close(self):
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error


def make_writer(user_id=None, expect_rows=0, expect_returns=0):
    cls = CopyWriter if connection.vendor == "postgresql" else Writer
    return cls(user_id=user_id, expect_rows=expect_rows, expect_returns=expect_returns)
