"""Import a tickets file and/or a returns file (interchange.md §3) in one transaction.

One pass per file: rows are checked and written batch by batch. Every bad row is reported with
its row and field; as soon as one is found the import stops writing (it keeps checking, so the
report is complete) and rolls everything back at the end — unless the caller chose to import the
good rows. Re-importing a file changes nothing; a row whose ticket exists with different content
updates it and is counted as updated.
"""

import itertools
import time
from dataclasses import dataclass, field

from django.db import connection, transaction

from lvzhi.core.tabular import ImportReport, TableError

from ..clock import current_clock
from ..resolver import DepartmentResolver
from .checks import BadRow, Moments, ReturnChecker, TicketChecker, file_location, record_location
from .columns import RETURN_COLUMNS, TICKET_COLUMNS
from .source import FileSource, rows_from_records
from .writers import make_writer

BATCH = 10_000
BYTES_PER_ROW = 200  # a typical §3 ticket row, to guess a file's size in rows


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


def _checked(source, checker, report, size, as_text=False):
    """Checked rows in batches of ``[(number, values)]``; bad rows go to the report, blank rows are
    not counted. A large CSV is checked by worker processes, which can also format the rows as
    COPY text (``as_text``: then the batches are ``(number, line)``); the flag tells whether they did."""
    reader = source.parallel(checker, checker.key_at) if hasattr(source, "parallel") else None
    if reader is not None:
        for batch in reader.batches(report, as_text):
            yield batch, as_text
        return
    for rows in _batches(source, size):
        blank = checker.blank
        good = [(number, values) for number, values in
                ((number, checker.check(number, cells, errors)) for number, cells, errors in rows)
                if values is not None]
        report.rows += len(rows) - (checker.blank - blank)
        for number, errors in checker.rejected:
            report.reject(BadRow(number, errors))
        checker.rejected.clear()
        yield good, False


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
    expect = (getattr(tickets, "size", 0) or 0) // BYTES_PER_ROW
    writer = make_writer(user_id=getattr(user, "pk", None), expect_rows=expect)
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
                writer.end_tickets()
            if returns is not None:
                outcome.returns = report = ImportReport(filename=returns.filename)
                checker = ReturnChecker(returns.where, resolver, moments, writer.stamp)
                _returns(returns, checker, ticket_checker.seen, writer, report, accept_good_rows, writing, progress,
                         batch)
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
    outcome.unmatched = resolver.unmatched_lines()
    outcome.seconds = time.perf_counter() - started
    return outcome


def _tickets(source, checker, writer, report, partial, progress, size):
    """Check and write the tickets; returns whether writing is still going on."""
    writing = True
    checker.where = source.where
    try:
        for good, as_text in _checked(source, checker, report, size, writer.takes_copy_text):
            if report.rejected_count and not partial:
                writing = False
            if writing:
                if as_text:
                    created, updated, unchanged = writer.ticket_lines([line for _, line in good])
                else:
                    created, updated, unchanged = writer.tickets([values for _, values in good])
                report.created += created
                report.updated += updated
                report.unchanged += unchanged
            if progress:
                progress("工单", report.rows, source.fraction())
    except TableError as exc:
        report.errors.extend(exc.messages)
        return False
    return writing


def _returns(source, checker, file_tickets, writer, report, partial, writing, progress, size):
    try:
        for good, _ in _checked(source, checker, report, size):
            ids = writer.ticket_ids([v[0] for _, v in good]) if good else {}
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
                report.created += created
                report.updated += updated
                report.unchanged += unchanged
            if progress:
                progress("退单", report.rows, source.fraction())
    except TableError as exc:
        report.errors.extend(exc.messages)
