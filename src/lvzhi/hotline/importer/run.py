"""Import a tickets file and/or a returns file (interchange.md §3) in one transaction.

One pass per file: rows are checked and written batch by batch. Every bad row is reported with
its row and field; as soon as one is found the import stops writing (it keeps checking, so the
report is complete) and rolls everything back at the end — unless the caller chose to import the
good rows. Re-importing a file changes nothing; a row whose ticket exists with different content
updates it and is counted as updated.
"""

import itertools
import queue
import threading
import time
from dataclasses import dataclass, field

from django.db import connection, transaction

from lvzhi.core.tabular import ImportReport, TableError

from ..clock import current_clock
from ..resolver import DepartmentResolver
from .checks import BadRow, Moments, ReturnChecker, TicketChecker, file_location, record_location
from .columns import RETURN_COLUMNS, TICKET_COLUMNS
from .forked import ForkedBlocks, forkable
from .source import FileSource, rows_from_records
from .writers import make_writer

BATCH = 10_000
BYTES_PER_ROW = 200  # a typical §3 ticket row, to guess a file's size in rows
BYTES_PER_RETURN = 120
AHEAD = 2  # batches of returns checked before they are written
AHEAD_TABLES = 32  # blocks of returns (each about 1 MB of text) checked ahead as Arrow tables: while the tickets' indexes are rebuilt, most files are done


class RecordSource:
    """API records as a source: record N is reported as 第N条."""

    def __init__(self, records, columns, what):
        self.records, self.columns, self.filename = list(records), columns, what
        self.where = record_location(what)
        self.size = 0

    def fraction(self):
        return None

    def __iter__(self):
        return rows_from_records(self.records, self.columns, self.filename)


def tickets_file(path, filename):
    source = FileSource(path, filename, TICKET_COLUMNS)
    source.where = file_location(filename)
    return source


def returns_file(path, filename):
    source = FileSource(path, filename, RETURN_COLUMNS)
    source.where = file_location(filename)
    return source


def ticket_records(records):
    return RecordSource(records, TICKET_COLUMNS, "工单记录")


def return_records(records):
    return RecordSource(records, RETURN_COLUMNS, "退单记录")


def _checked(source, checker, report, size):
    """Checked rows in batches of ``[(number, values)]``; bad rows go to the report, blank rows are
    not counted."""
    for rows in _batches(source, size):
        blank = checker.blank
        good = [(number, values) for number, values in
                ((number, checker.check(number, cells, errors)) for number, cells, errors in rows)
                if values is not None]
        report.rows += len(rows) - (checker.blank - blank)
        _settle(checker, report)
        yield good


def _settle(checker, report):
    for number, errors in checker.rejected:
        report.reject(BadRow(number, errors))
    checker.rejected.clear()


def _ticket_batches(source, checker, writer, report, size):
    """Checked tickets in batches of ``(Arrow table or None, [(number, values)])``: a tickets CSV is
    checked in Arrow columns (``columnar``), any other source row by row."""
    blocks = source.blocks() if hasattr(source, "blocks") else None
    if blocks is None:
        for good in _checked(source, checker, report, size):
            yield None, good
        return
    import pyarrow as pa  # with the blocks, Arrow is loaded

    from .columnar import TicketColumns

    columns = TicketColumns(checker, writer.ticket_columns)
    forked = writer.check_apart and forkable()
    if forked:  # checked in another process, see ``forked``; this one only converts and writes
        checked = ForkedBlocks(lambda tally: _checked_blocks(blocks, columns, tally), columns, report, source,
                               arrow=True)
    else:  # checked in a thread, ahead of the writing
        checked = _checked_blocks(blocks, columns, report)
    try:
        if not writer.lookup_tickets:  # new rows stream straight on, block by block
            ready = ((writer.prepare_tickets(table, [values for _, values in good], columns.kept), ())
                     for table, good in checked)
            yield from ready if forked else _Ahead(ready)
            return
        tables, rows = [], []  # existing rows are looked up and compared a batch at a time
        for table, good in checked if forked else _Ahead(checked):
            tables.append(table)
            rows.extend(good)
            if sum(t.num_rows for t in tables) + len(rows) >= size:
                yield pa.concat_tables(tables), rows
                tables, rows = [], []
        if tables:
            yield pa.concat_tables(tables), rows
    finally:
        checked.close()


class _Ahead:
    """Iterates ``items`` in a thread, at most ``size`` ahead, from the moment it is made: Arrow reads
    and checks the next blocks (mostly without holding the GIL) while this thread writes. ``items``
    must not use the database, whose connection belongs to this thread."""

    def __init__(self, items, size=2):
        self.ready, self.stop = queue.Queue(size), threading.Event()
        self.thread = threading.Thread(target=self._produce, args=(items,), daemon=True)
        self.thread.start()

    def _produce(self, items):
        try:
            for item in items:
                if self.stop.is_set():
                    return
                self.ready.put((True, item))
            self.ready.put((False, None))
        except BaseException as exc:  # handed to the consumer, which raises it
            self.ready.put((False, exc))

    def __iter__(self):
        try:
            while True:
                more, item = self.ready.get()
                if not more:
                    if item is not None:
                        raise item
                    return
                yield item
        finally:
            self.close()

    def close(self):
        self.stop.set()
        while self.thread.is_alive():  # let a producer blocked on a full queue see the stop
            try:
                self.ready.get(timeout=0.1)
            except queue.Empty:
                pass


def _return_batches(source, checker, report, size, writer):
    """Checked returns in batches of ``([(number, values)], known, block)``, ``known`` being what the
    writer knows of their tickets' ids without the database (``Writer.given_ids``), or None, and
    ``block`` more good returns as a ``columnar.ReturnBlock`` where the writer takes tables. A CSV is
    checked in Arrow columns from now on, ahead of the caller — while the tickets' indexes are
    rebuilt — as far as ``AHEAD`` blocks (or, in a process of its own, as the pipe holds), and its
    tickets' ids are found there too."""
    blocks = source.blocks() if hasattr(source, "blocks") else None
    if blocks is None:
        return ((good, None, None) for good in _checked(source, checker, report, size))
    from .columnar import ReturnColumns

    columns = ReturnColumns(checker)
    if writer.takes_return_tables and not (writer.check_apart and forkable()):
        # Good returns stay in Arrow from the file to the COPY; rows the row checker passed go the usual way.
        columns.tables = True
        return _Ahead(((rows, writer.given_ids([v[0] for _, v in rows]), writer.given_arrays(block))
                       for block, rows in _checked_blocks(blocks, columns, report)), size=AHEAD_TABLES)

    def make(report):
        checked = _checked_blocks(blocks, columns, report)
        batches = _joined((sorted(good + rows, key=lambda row: row[0]) for good, rows in checked), size)
        if writer.gives_ids:
            return ((good, writer.given_ids([v[0] for _, v in good]), None) for good in batches)
        return ((good, None, None) for good in batches)

    if writer.check_apart and forkable():  # see ``forked``
        return ForkedBlocks(make, columns, report, source)
    return _Ahead(make(report), size=AHEAD)


def _joined(batches, size):
    """Lists joined into batches of at least ``size`` items: each batch costs a few queries."""
    joined = []
    for batch in batches:
        joined.extend(batch)
        if len(joined) >= size:
            yield joined
            joined = []
    if joined:
        yield joined


def _checked_blocks(blocks, columns, report):
    checker = columns.checker
    for table, numbers, odd in blocks:
        blank = checker.blank
        good, checked = columns.check(table, numbers, odd)
        report.rows += table.num_rows + len(odd) - (checker.blank - blank)
        _settle(checker, report)
        yield good, checked


class _Rollback(Exception):
    pass


@dataclass
class ImportOutcome:
    tickets: ImportReport | None = None
    returns: ImportReport | None = None
    committed: bool = False
    unmatched: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def reports(self):
        return [r for r in (self.tickets, self.returns) if r is not None]

    @property
    def rejected(self):
        return sum(r.rejected_count for r in self.reports)

    @property
    def file_errors(self):
        return [e for r in self.reports for e in r.errors]

    def lines(self):
        out = []
        for report in self.reports:
            out.extend(report.lines())
        out.extend(self.unmatched)
        return out

    def to_dict(self):
        return {
            "committed": self.committed,
            "tickets": self.tickets.to_dict() if self.tickets else None,
            "returns": self.returns.to_dict() if self.returns else None,
            "unmatched": self.unmatched,
            "file_errors": self.file_errors,
            "seconds": round(self.seconds, 3),
            "lines": self.lines(),
        }


def _batches(source, size):
    rows = iter(source)
    while batch := list(itertools.islice(rows, size)):
        yield batch


def import_hotline(tickets=None, returns=None, *, user=None, accept_good_rows=False, progress=None, batch=BATCH):
    """Import ``tickets`` and/or ``returns`` sources; returns an ``ImportOutcome``.

    ``progress(stage, rows, fraction)`` is called per batch.
    """
    started = time.perf_counter()
    outcome = ImportOutcome()
    clock = current_clock()
    moments = Moments(clock, utc=connection.vendor == "sqlite")
    resolver = DepartmentResolver()
    writer = make_writer(user_id=getattr(user, "pk", None),
                         expect_rows=(getattr(tickets, "size", 0) or 0) // BYTES_PER_ROW,
                         expect_returns=(getattr(returns, "size", 0) or 0) // BYTES_PER_RETURN)
    ticket_checker = TicketChecker(tickets.where if tickets else None, resolver, moments, writer.stamp)
    writing = True
    try:
        with transaction.atomic():
            writer.begin()
            if tickets is not None:
                outcome.tickets = report = ImportReport(filename=tickets.filename)
                try:
                    writing = _tickets(tickets, ticket_checker, writer, report, accept_good_rows, progress, batch)
                except BaseException:
                    writer.end_tickets(failed=True)
                    raise
            if returns is not None:
                outcome.returns = report = ImportReport(filename=returns.filename)
                checker = ReturnChecker(returns.where, resolver, moments, writer.stamp)
                try:
                    batches = _return_batches(returns, checker, report, batch, writer)
                except TableError as exc:  # the file itself is refused
                    report.errors.extend(exc.messages)
                    batches = ()
            try:
                if tickets is not None:
                    writer.end_tickets()
                if returns is not None:
                    _returns(returns, batches, checker, ticket_checker.seen, writer, report, accept_good_rows,
                             writing, progress)
            finally:
                if returns is not None and hasattr(batches, "close"):
                    batches.close()
            if outcome.file_errors or (outcome.rejected and not accept_good_rows):
                raise _Rollback
            writer.finish()
    except _Rollback:
        for report in outcome.reports:
            report.discard_counts()
    finally:
        writer.close()
    if not outcome.file_errors and (accept_good_rows or not outcome.rejected):
        outcome.committed = True
        for report in outcome.reports:
            report.committed = True
    outcome.unmatched = resolver.unmatched_lines(outcome.committed)
    outcome.seconds = time.perf_counter() - started
    return outcome


def _tickets(source, checker, writer, report, partial, progress, size):
    """Check and write the tickets; returns whether writing is still going on."""
    writing = True
    checker.where = source.where
    try:
        for table, good in _ticket_batches(source, checker, writer, report, size):
            if report.rejected_count and not partial:
                writing = False
            if writing:
                for created, updated, unchanged in (writer.ticket_table(table) if table is not None else (0, 0, 0),
                                                    writer.tickets([values for _, values in good])):
                    report.created += created
                    report.updated += updated
                    report.unchanged += unchanged
            if progress:
                progress("工单", report.rows, source.fraction())
    except TableError as exc:
        report.errors.extend(exc.messages)
        return False
    return writing


def _returns(source, batches, checker, file_tickets, writer, report, partial, writing, progress):
    try:
        for good, known, block in batches:
            if block is not None and (rest := block.rest()):  # returns whose ticket this import did not write
                good, known = sorted(good + rest, key=lambda row: row[0]), None
            ids = writer.ticket_ids([v[0] for _, v in good], known) if good else {}
            ready = []
            for number, values in good:
                pk = ids.get(values[0])
                if pk is not None:
                    ready.append((pk,) + values[1:])
                elif hash(values[0]) in file_tickets:
                    if writing:  # its ticket row was refused, so the return cannot be stored
                        report.reject(BadRow(number, [checker.where(
                            number, f"工单 {values[0]} 在工单文件中有错误，未能导入，本条退单也未导入", "ticket_no")]))
                else:
                    report.reject(BadRow(number, [checker.where(
                        number, f"工单编号 {values[0]} 不存在（系统中和本次导入的工单中都没有）", "ticket_no")]))
            if report.rejected_count and not partial:
                writing = False
            if writing:
                created, updated, unchanged = writer.returns(ready)
                if block is not None:
                    created += writer.return_table(*block.found())
                report.created += created
                report.updated += updated
                report.unchanged += unchanged
            if progress:
                progress("退单", report.rows, source.fraction())
    except TableError as exc:
        report.errors.extend(exc.messages)
    report.rejected.sort(key=lambda item: item[0])  # checks ran ahead of the lookups
