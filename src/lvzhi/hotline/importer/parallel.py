"""Reading and checking a large CSV in worker processes while this process writes.

The file is cut into blocks at record boundaries: a newline with an even number of quote
characters before it in the block (neither byte occurs inside a multi-byte character of UTF-8 or
GB18030). Forked workers — sharing the loaded calendar, department names and rules — decode,
parse and check their blocks; this process takes the results in file order, numbers the rows,
settles duplicates between blocks, formats the messages and writes. Row numbers and messages are
exactly those of the one-process path, which every other file (XLSX, title rows above the header,
a single CPU, small files) takes.
"""

import csv
import io
import multiprocessing
import os
from collections import Counter, deque

from lvzhi.core import tabular

from .checks import BadRow

BLOCK = 2 << 20  # bytes per block
MIN_BYTES = 8 << 20  # smaller files are read in one process
_shared = {}  # set before the workers fork


def workers():
    """Worker processes to read with (0: read in this process). This process mostly waits for
    them and writes, so there are as many as CPUs, up to four."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # platforms without CPU affinity
        cpus = os.cpu_count() or 1
    return min(4, cpus) if cpus > 1 else 0


def usable(source, codec, header_row):
    return (workers() > 0 and header_row == 1 and source.size >= MIN_BYTES and codec != "utf-16"
            and "fork" in multiprocessing.get_all_start_methods())


def _blocks(raw):
    carry = b""
    while True:
        chunk = raw.read(BLOCK)
        data = carry + chunk
        if not chunk:
            if data:
                yield data
            return
        cut = data.rfind(b"\n")
        while cut != -1 and data.count(b'"', 0, cut) % 2:
            cut = data.rfind(b"\n", 0, cut)
        if cut == -1:  # one record longer than a block: read on
            carry = data
            continue
        yield data[:cut + 1]
        carry = data[cut + 1:]


def _where(number, message, field):
    return number, message, field


_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_line(values):
    """One row in PostgreSQL's COPY text format."""
    return "\t".join("\\N" if v is None else v.translate(_ESCAPE) if v.__class__ is str else str(v)
                     for v in values) + "\n"


def _check_block(data):
    """In a worker: check one block; row numbers are counted from the block's start."""
    shared = _shared
    resolver = shared["resolver"]
    resolver.unmatched = Counter()
    checker = shared["checker_class"](_where, resolver, shared["moments"], shared["stamp"])
    pick = shared["pick"]
    try:
        text = data.decode(shared["codec"])
    except UnicodeDecodeError as exc:
        return {"decode_error": data.count(b"\n", 0, exc.start) + 1}
    good, keys, number = [], [], 0
    key_at, as_text = shared["key_at"], shared["as_text"]
    check = checker.check
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=shared["delimiter"]), 1):
            if pick:
                cells = pick(cells)
            values = check(number, cells, None)
            if values is not None:
                good.append((number, copy_line(values) if as_text else values))
                keys.append((number, values[key_at], values[:4]))
            elif checker.rejected and checker.rejected[-1][0] == number:
                key = checker.key_of(cells)
                if key:
                    keys.append((number, key, None))
    except csv.Error as exc:
        return {"csv_error": (number + 1, str(exc))}
    return {"good": good, "rejected": checker.rejected, "keys": keys, "records": number, "blank": checker.blank,
            "unmatched": resolver.unmatched}


class ParallelReader:
    """Checked rows of a CSV file in file order, from worker processes."""

    def __init__(self, source, checker, codec, pick, delimiter, key_at):
        self.source, self.checker, self.codec = source, checker, codec
        self.pick, self.delimiter, self.key_at = pick, delimiter, key_at

    def batches(self, report, as_text=False):
        """Yield ``[(number, values)]`` per block — with ``as_text``, each row as a line of COPY text
        instead, formatted by the workers; bad rows go to ``report`` with their messages."""
        checker, source = self.checker, self.source
        _shared.update(checker_class=type(checker), resolver=checker.resolver, moments=checker.moments,
                       stamp=checker.stamp, pick=self.pick, codec=self.codec, delimiter=self.delimiter,
                       key_at=self.key_at, as_text=as_text)
        context = multiprocessing.get_context("fork")
        with open(source.path, "rb") as raw, context.Pool(workers()) as pool:
            source.set_fraction(lambda: raw.tell() / source.size)
            header = raw.readline()
            if header.count(b'"') % 2:
                raise tabular.TableError(f"文件 {source.filename}：第1行表头含有未配对的引号")
            offset = 1  # rows before the block: the header
            pending = deque()
            blocks = _blocks(raw)
            while True:
                while len(pending) < 2 * workers():
                    block = next(blocks, None)
                    if block is None:
                        break
                    pending.append(pool.apply_async(_check_block, (block,)))
                if not pending:
                    break
                result = pending.popleft().get()
                yield self._settle(result, offset, report)
                offset += result["records"]
        source.set_fraction(lambda: 1.0)

    def _settle(self, result, offset, report):
        source, checker = self.source, self.checker
        if "decode_error" in result:
            raise tabular.TableError(
                f"文件 {source.filename}：第{offset + result['decode_error']}行附近含有无法按 {source.encoding} "
                "解码的字符，请另存为 UTF-8 编码的 CSV 后再导入")
        if "csv_error" in result:
            line, message = result["csv_error"]
            raise tabular.TableError(f"文件 {source.filename}：第{offset + line}行附近不是有效的 CSV 内容（{message}）")
        checker.resolver.unmatched.update(result["unmatched"])
        where = source.where
        errors = {number: [where(offset + n, m, f) for n, m, f in messages] for number, messages in result["rejected"]}
        seen, duplicates = checker.seen, set()
        for number, key, values in result["keys"]:
            hashed = hash(key)
            if values is not None and hashed in seen:  # the same key in an earlier block
                duplicates.add(number)
                errors[number] = [where(offset + number, checker.duplicate_message(values), "ticket_no")]
            seen.add(hashed)
        for number in sorted(errors):
            report.reject(BadRow(offset + number, errors[number]))
        report.rows += result["records"] - result["blank"]
        return [(offset + n, values) for n, values in result["good"] if n not in duplicates]
