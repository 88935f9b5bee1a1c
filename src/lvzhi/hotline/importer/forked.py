"""A tickets CSV read and checked in a second process while the importing process writes.

Reading and checking a million rows, turning them into the values the driver takes, and writing
them (SQLite's ``executemany``) each hold the interpreter lock for much of their time. In one
process a checking thread and the writing thread take turns rather than overlap, and the writer,
which gives the lock up around every statement, then waits to get it back. Here a forked child
reads and checks; the importing process, with no other thread competing for the lock, turns each
checked block into values and writes it.

The child starts with the checker as it is at the fork (departments, calendar, stamp) and must not
use the database connection it inherits: a guard refuses any query there. Through a pipe it sends
each checked block — the good rows as Arrow IPC, which the importing process maps without copying
or converting, the rows the row checker passed, the good rows' key hashes, the rows counted and
refused since the last block, how far into the file it is — and at the end the keys it met and the
department names it could not match, so that the importing process's checker ends as if it had
read the file itself. The pipe holds a few blocks, so the child stays that far ahead and memory
stays flat.

Where processes cannot be forked (``forkable``), the importer checks in a thread instead.
"""

import multiprocessing
import os

from lvzhi.core.tabular import TableError

from .checks import BadRow


def forkable():
    return "fork" in multiprocessing.get_all_start_methods()


class _Tally:
    """The child's stand-in for the import report: what it counted since it last sent a block."""

    def __init__(self):
        self.rows, self.rejected = 0, []

    def reject(self, row):
        self.rejected.append((row.number, row.errors))

    def take(self):
        taken = self.rows, self.rejected
        self.rows, self.rejected = 0, []
        return taken


class KeysMet:
    """The checker's ``seen`` once the child has read the file: the hashes of the keys it met, kept
    sorted in an array (8 bytes each, where a set of a million Python integers takes some 70 MB),
    asked only whether a key is among them (``run._returns``)."""

    def __init__(self, hashes):
        import numpy

        self.hashes = numpy.sort(hashes)

    def __contains__(self, value):
        import numpy

        at = numpy.searchsorted(self.hashes, value)
        return bool(at < len(self.hashes) and self.hashes[at] == value)


class ForkedBlocks:
    """Iterate for the items of ``make(tally)`` — a generator over ``_checked_blocks``, which counts
    rows and refuses rows into ``tally`` — run in a child process. With ``arrow`` an item's first
    element is an Arrow table, which goes through the pipe as Arrow IPC. ``columns`` (the
    ``_Columns`` checking the blocks) gets each item's ``kept`` before it is yielded, ``report`` the
    rows counted and refused, ``source`` the progress. The child starts at once."""

    PIPE_BYTES = 8 << 20  # room for a few blocks, so the child need not wait for each read

    def __init__(self, make, columns, report, source, arrow=False):
        self.columns, self.report, self.source, self.arrow = columns, report, source, arrow
        self.done, self.finished = 0.0, False
        context = multiprocessing.get_context("fork")
        self.receiving, sending = context.Pipe(duplex=False)
        _widen(sending)
        self.process = context.Process(target=_child, args=(sending, make, columns, source, arrow), daemon=True)
        self.process.start()
        sending.close()
        source.set_fraction(lambda: self.done)

    def __iter__(self):
        import pyarrow.ipc  # loaded with the blocks

        checker = self.columns.checker
        try:
            while True:
                try:
                    kind, payload = self.receiving.recv()
                except EOFError:
                    raise RuntimeError(f"读取文件 {self.source.filename} 的进程意外退出") from None
                if kind == "item":
                    item, kept, rows, rejected, done = payload
                    self.report.rows += rows
                    for number, errors in rejected:
                        self.report.reject(BadRow(number, errors))
                    self.columns.kept, self.done = kept, done or 0.0
                    yield (pyarrow.ipc.open_stream(item[0]).read_all(),) + item[1:] if self.arrow else item
                elif kind == "end":
                    seen, unmatched = payload
                    checker.seen = KeysMet(seen)
                    checker.resolver.unmatched.clear()
                    checker.resolver.unmatched.update(unmatched)
                    self.done, self.finished = 1.0, True
                    return
                elif kind == "refused":
                    raise TableError(payload)
                else:
                    raise payload
        finally:
            self.close()

    def close(self):
        """Stop the child if it is still reading (the import stopped early) and wait for it."""
        if self.process.exitcode is None and not self.finished:
            self.process.kill()
        self.process.join()
        self.receiving.close()


def _ipc(table):
    import pyarrow as pa
    import pyarrow.ipc

    sink = pa.BufferOutputStream()
    with pyarrow.ipc.new_stream(sink, table.schema) as stream:
        stream.write_table(table)
    return sink.getvalue()


def _widen(connection):
    """Linux: room in the pipe for whole blocks rather than 64 KB, as far as the system allows."""
    try:
        import fcntl

        setting = fcntl.F_SETPIPE_SZ
    except (ImportError, AttributeError):
        return
    for size in (ForkedBlocks.PIPE_BYTES, 1 << 20):  # without privileges, 1 MB is the usual limit
        try:
            fcntl.fcntl(connection.fileno(), setting, size)
            return
        except OSError:
            pass


def _child(sending, make, columns, source, arrow):
    import numpy

    _refuse_queries()
    tally = _Tally()
    try:
        for item in make(tally):
            rows, rejected = tally.take()
            kept = numpy.fromiter(columns.kept, numpy.int64, len(columns.kept))
            item = (_ipc(item[0]),) + tuple(item[1:]) if arrow else item
            sending.send(("item", (item, kept, rows, rejected, source.fraction())))
        checker = columns.checker
        seen = numpy.fromiter(checker.seen, numpy.int64, len(checker.seen))
        sending.send(("end", (seen, dict(checker.resolver.unmatched))))
    except TableError as exc:
        sending.send(("refused", exc.messages))
    except BaseException as exc:  # raised again in the importing process
        try:
            sending.send(("error", exc))
        except Exception:  # an exception that cannot be pickled still reaches the user as text
            sending.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        sending.close()
        os._exit(0)  # no interpreter teardown: it would close the inherited database connection


def _refuse_queries():
    """The inherited connections belong to the importing process's transaction: any query from
    the child would corrupt its conversation with the server."""
    from django.db import connections

    def refuse(*args, **kwargs):
        raise RuntimeError("读取文件的子进程不能使用数据库连接")

    for connection in connections.all(initialized_only=True):
        connection.execute_wrappers.append(refuse)
