"""A tickets or returns CSV read and checked a block at a time in Arrow columns, at C speed.

At a million rows, turning every cell into a Python string and checking it in Python costs more
than the database write, so a CSV is parsed by Arrow's reader and checked with vectorised compute
functions. Only rows that are not in the common shape — a blank or short row, a date-time not
written ``YYYY-MM-DD HH:MM:SS``, a kind or rating given by a synonym, a missing or too long value,
a repeated key, spaces around a value — are handed to the row checker (``TicketChecker.check``,
``ReturnChecker.check``), which accepts or refuses them with the one-row path's rules and messages. So
every accepted form and every message stays the row checker's; this module only recognises the
rows that need none of it.

Row numbers are those of Python's ``csv`` reader (the header is row 1; a record spanning lines is
one row; an empty line is a blank row). Arrow counts records the same way and reports a row with
the wrong number of cells, with its number, to ``_invalid``; such rows go to the row checker too.
"""

import bisect
import csv
import io
import itertools

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from lvzhi.core import tabular

from .checks import fingerprint
from .columns import KIND_WORDS, SATISFACTION_WORDS

BLOCK = 1 << 20  # bytes of text per block: about 3,500 rows
# A value with white space at either end goes to the row checker, which strips it. Arrow's
# ``utf8_trim_whitespace`` trims exactly Python's ``str.isspace`` characters (a test holds it to that).
_CANONICAL = r"^\d{4}-\d\d-\d\d \d\d:[0-5]\d:[0-5]\d$"  # what Moments.fast accepts, given a valid hour
_ARROW_CODECS = {"utf-8-sig": "utf8", "gb18030": "gb18030"}


class CsvBlocks:
    """The data rows of a CSV whose header is its first row, as blocks of Arrow string columns in
    the columns' order. Iterate for ``(table, numbers, odd)``: ``numbers(i)`` is the row number of
    the table's row ``i``, ``odd`` the ``(number, cells)`` of rows Arrow could not take (wrong
    number of cells), in order."""

    def __init__(self, source, codec, delimiter, header):
        self.source, self.codec, self.delimiter = source, codec, delimiter
        self.width = len(header)
        self.order = source.column_order(header)
        self.invalid = []  # (number, text) of rows with the wrong number of cells, as Arrow met them

    def _invalid(self, row):
        self.invalid.append((row.number, row.text))
        return "skip"

    def __iter__(self):
        names = [f"c{i}" for i in range(self.width)]
        used = sorted({i for i in self.order if i is not None})
        source = self.source
        read = [0]  # bytes read so far, for progress from another thread
        source.set_fraction(lambda: read[0] / source.size if source.size else None)
        with open(source.path, "rb") as raw:
            reader = self._open(raw, names, used)
            first, taken = 2, 0  # the number of the first data row; invalid rows used so far
            while True:
                try:
                    batch = reader.read_next_batch()
                except StopIteration:
                    break
                except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
                    raise self._failure(exc) from None
                read[0], size = raw.tell(), batch.num_rows
                numbers = _Numbers(first, [n for n, _ in self.invalid])
                last = numbers(size - 1) if size else first - 1
                odd = [(n, self._cells(text)) for n, text in self.invalid[taken:] if n <= last]
                taken += len(odd)
                columns = [batch.column(names[i]) if i is not None else pa.repeat("", size) for i in self.order]
                yield pa.table(columns, names=source.keys), numbers, odd
                first = last + 1
            rest = [(n, self._cells(text)) for n, text in self.invalid[taken:]]
            if rest:
                yield pa.table([pa.array([], pa.string())] * len(source.keys), names=source.keys), None, rest
        source.set_fraction(lambda: 1.0)

    def _open(self, raw, names, used):
        try:
            return pacsv.open_csv(
                raw,
                read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=BLOCK, use_threads=False,
                                               encoding=_ARROW_CODECS[self.codec]),
                parse_options=pacsv.ParseOptions(delimiter=self.delimiter, newlines_in_values=True,
                                                 ignore_empty_lines=False, invalid_row_handler=self._invalid),
                convert_options=pacsv.ConvertOptions(column_types={names[i]: pa.string() for i in used},
                                                     include_columns=[names[i] for i in used],
                                                     strings_can_be_null=False, quoted_strings_can_be_null=False))
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
            raise self._failure(exc) from None

    def _cells(self, text):
        cells = next(csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter), [])
        return [cells[i] if i is not None and i < len(cells) else "" for i in self.order]

    def _failure(self, exc):
        """The file-level message for text Arrow could not decode or parse, naming the line as the
        one-row reader would."""
        source = self.source
        line = _undecodable_line(source.path, self.codec)
        if line is not None:
            return tabular.TableError(f"文件 {source.filename}：第{line}行附近含有无法按 {source.encoding} 解码的字符，"
                                      "请另存为 UTF-8 编码的 CSV 后再导入")
        return tabular.TableError(f"文件 {source.filename}：不是有效的 CSV 内容（{exc}）")


class _Numbers:
    """Row numbers of a block's rows: consecutive from ``first``, stepping over the numbers of
    invalid rows (few, sorted)."""

    def __init__(self, first, invalid):
        self.first, self.invalid = first, invalid
        self.skipped = bisect.bisect_left(invalid, first)

    def __call__(self, index):
        number = self.first + index
        while True:
            moved = self.first + index + bisect.bisect_right(self.invalid, number) - self.skipped
            if moved == number:
                return number
            number = moved


def _undecodable_line(path, codec):
    import codecs

    decoder = codecs.getincrementaldecoder(codec)()
    with open(path, "rb") as fh:
        for number, line in enumerate(fh, 1):
            try:
                decoder.decode(line)
            except UnicodeDecodeError:
                return number
    return None


# ------------------------------------------------------------------------------------------ checks

_KINDS = pa.array(list(KIND_WORDS))
_KIND_CODES = pa.array(list(KIND_WORDS.values()))
_RATINGS = pa.array(list(SATISFACTION_WORDS))
_RATING_CODES = pa.array(list(SATISFACTION_WORDS.values()))


def _any(masks):
    odd = masks[0]
    for mask in masks[1:]:
        odd = pc.or_(odd, mask)
    return odd


def _blank(*columns):
    return [pc.equal(column, "") for column in columns]


def _longer(limits):
    return [pc.greater(pc.utf8_length(column), limit) for column, limit in limits]


def _edge_spaces(*columns):
    return [pc.not_equal(pc.binary_length(pc.utf8_trim_whitespace(column)), pc.binary_length(column))
            for column in columns]


def _not_canonical(column):
    return pc.invert(pc.match_substring_regex(column, _CANONICAL))


class _Hours:
    """The checker's hour cache (``Moments.hour``) applied to columns: each distinct
    ``YYYY-MM-DD HH`` prefix of a block is looked up once."""

    TYPES = (pa.string(), pa.int64(), pa.int64(), pa.string())
    NONE = (None, None, None, None)

    def __init__(self, moments):
        self.moments, self.utc = moments, moments.utc

    def lookup(self, texts):
        """``(moments, bad)`` for canonical date-time texts: their ``_Moments``, and which of them
        have no usable hour."""
        encoded = pc.dictionary_encode(pc.utf8_slice_codeunits(texts, 0, 13))
        hours = self.moments.hours
        entries = []
        for prefix in encoded.dictionary.to_pylist():
            entry = hours.get(prefix) or self.moments.hour(prefix)
            entries.append(entry if entry is not None and entry[0] is not None else None)
        usable = pa.array([e is not None for e in entries], pa.bool_())
        values = [pa.array(list(c), t) for c, t in zip(zip(*[e or self.NONE for e in entries] or [self.NONE]),
                                                      self.TYPES)]
        return _Moments(encoded.indices, values), pc.invert(pc.take(usable, encoded.indices))

    def stored(self, texts, moments):
        """The database form of canonical local date-times: UTC text on SQLite (the converted hour
        and the original minutes and seconds), the text with its UTC offset on PostgreSQL."""
        stored, _, _, suffix = moments.columns()
        if self.utc:
            return pc.binary_join_element_wise(stored, pc.utf8_slice_codeunits(texts, 13, 19), "")
        return pc.binary_join_element_wise(texts, suffix, "")


class _Moments:
    """Per row, a position in a block's table of hour entries (stored prefix, working-day ordinal,
    month, suffix)."""

    def __init__(self, positions, values):
        self.positions, self.values = positions, values

    def filter(self, mask):
        return _Moments(self.positions.filter(mask), self.values)

    def columns(self):
        return [pc.take(values, self.positions) for values in self.values]


class _Columns:
    """Checks blocks of one kind of row. ``check(table, numbers, odd)`` flags the rows the
    vectorised checks cannot vouch for, passes them to the row checker in file order and returns
    ``(good rows, checked rows)``: the good rows in the form ``_layout`` gives, the rows that went
    through the row checker and passed as ``(number, values)``. Refused rows are left in the row
    checker's ``rejected``, blank rows in its ``blank`` count."""

    def __init__(self, checker):
        self.checker = checker
        self.hours = _Hours(checker.moments)

    def check(self, table, numbers, odd_rows):
        checker = self.checker
        table = pa.RecordBatch.from_arrays([c.combine_chunks() for c in table.columns], names=table.column_names)
        flagged, moments = self._odd(table)
        hashes = list(map(hash, self._keys(table)))
        flagged = pc.or_(flagged, pa.array(self._repeats(hashes), pa.bool_()))
        good = pc.invert(flagged)
        clean = not pc.any(flagged).as_py()  # the usual block: nothing to filter out
        self.kept = hashes if clean else list(itertools.compress(hashes, good.to_pylist()))  # good rows' key hashes
        checker.seen.update(self.kept)
        positions = pc.indices_nonzero(flagged)
        cells = zip(*(column.to_pylist() for column in table.take(positions).columns))
        rows = sorted([(numbers(i), list(c)) for i, c in zip(positions.to_pylist(), cells)] + odd_rows,
                      key=lambda row: row[0])
        checked = []
        for number, cells in rows:
            values = checker.check(number, cells)
            if values is not None:
                checked.append((number, values))
        if not clean:
            table, moments = table.filter(good), [m.filter(good) for m in moments]
        return self._layout(table, moments, numbers, good), checked

    def _repeats(self, hashes):
        """Which rows' keys occur twice in the block or were met before (the row checker then
        reports the repeats, in order)."""
        seen = self.checker.seen
        if len(set(hashes)) == len(hashes) and seen.isdisjoint(hashes):
            return [False] * len(hashes)
        counts = {}
        for h in hashes:
            counts[h] = counts.get(h, 0) + 1
        return [counts[h] > 1 or h in seen for h in hashes]

    def _departments(self, names):
        """Department ids of a column of names, each distinct name resolved once."""
        resolver = self.checker.resolver
        encoded = pc.dictionary_encode(names)
        words = encoded.dictionary.to_pylist()
        ids = [resolver.resolve(name) for name in words]
        if len(encoded):
            for count in pc.value_counts(encoded.indices).to_pylist():  # resolve() counted one row each
                name = words[count["values"]]
                if name in resolver.unmatched:
                    resolver.unmatched[name] += count["counts"] - 1
        return pc.take(pa.array(ids, pa.int64()), encoded.indices)


class TicketColumns(_Columns):
    """Good tickets come back as an Arrow table of ``fields`` (the writer's ticket columns)."""

    def __init__(self, checker, fields):
        super().__init__(checker)
        self.fields = fields

    def _odd(self, table):
        ticket_no, received, content, kind, address, handler, closed, result, satisfaction = table.columns
        opened = pc.not_equal(closed, "")
        got, got_bad = self.hours.lookup(received)
        shut, shut_bad = self.hours.lookup(pc.if_else(opened, closed, received))
        masks = [*_blank(ticket_no, content), *_longer(((ticket_no, 64), (address, 300), (handler, 200))),
                 _not_canonical(received), pc.and_(opened, _not_canonical(closed)), pc.and_(opened, pc.less(closed, received)),
                 pc.is_null(pc.index_in(kind, value_set=_KINDS)), pc.is_null(pc.index_in(satisfaction, value_set=_RATINGS)),
                 got_bad, shut_bad, *_edge_spaces(ticket_no, content, address, handler, result)]
        return _any(masks), (got, shut)

    def _keys(self, table):
        return table.column("ticket_no").to_pylist()

    def _layout(self, table, moments, numbers, good):
        got, shut = moments
        size = table.num_rows
        received, closed = table.column("received_at"), table.column("closed_at")
        _, received_wd, month, _ = got.columns()
        _, closed_wd, _, _ = shut.columns()
        is_open = pc.equal(closed, "")
        columns = [
            table.column("ticket_no"), self.hours.stored(received, got), month, received_wd, table.column("content"),
            pc.take(_KIND_CODES, pc.index_in(table.column("kind"), value_set=_KINDS)),
            table.column("address"), self._departments(table.column("handler")), table.column("handler"),
            pc.if_else(is_open, pa.scalar(None, pa.string()), self.hours.stored(closed, shut)),
            pc.if_else(is_open, pa.scalar(None, pa.int64()), closed_wd),
            table.column("result"),
            pc.take(_RATING_CODES, pc.index_in(table.column("satisfaction"), value_set=_RATINGS)),
        ]
        stamp = self.checker.stamp
        columns += [pa.repeat(pa.scalar(value, _stamp_type(value)), size) for value in stamp]
        return pa.table(columns, names=list(self.fields))


class ReturnColumns(_Columns):
    """Good returns come back as ``(number, values)`` like checked rows: the importer still looks
    up each one's ticket, which needs the database — or, with ``tables`` (the writer knows every
    ticket's id in memory and writes Arrow tables of returns), as a ``ReturnBlock``."""

    tables = False

    def _odd(self, table):
        ticket_no, returned, source, reason, target = table.columns
        got, got_bad = self.hours.lookup(returned)
        masks = [*_blank(ticket_no, returned, source, reason), *_longer(((source, 200), (target, 200))),
                 _not_canonical(returned), got_bad, *_edge_spaces(ticket_no, source, reason, target)]
        return _any(masks), (got,)

    def _keys(self, table):
        """The natural key of each return (``fingerprint``), kept for ``_layout``."""
        columns = (table.column(name).to_pylist() for name in ("ticket_no", "returned_at", "from_department"))
        self.fingerprints = list(map(fingerprint, *columns))
        return self.fingerprints

    def _layout(self, table, moments, numbers, good):
        (got,) = moments
        source, target = table.column("from_department"), table.column("to_department")
        columns = [table.column("ticket_no"), self.hours.stored(table.column("returned_at"), got),
                   self._departments(source), source, table.column("reason"), self._departments(target), target]
        keys = itertools.compress(self.fingerprints, good.to_pylist())
        stamp = self.checker.stamp
        if self.tables:
            columns.append(pa.array(keys, pa.int64()))
            columns += [pa.repeat(pa.scalar(value, _stamp_type(value)), table.num_rows) for value in stamp]
            return ReturnBlock(pa.table(columns, names=[f"c{i}" for i in range(len(columns))]), numbers,
                               pc.indices_nonzero(good))
        rows = zip(*(column.to_pylist() for column in columns), keys)
        return [(numbers(i), row + stamp) for i, row in zip(pc.indices_nonzero(good).to_pylist(), rows)]


class ReturnBlock:
    """A block's good returns as an Arrow table, its columns the values of a row the row checker
    passes (ticket number first); ``positions`` are the rows' places in the block, for their
    numbers. ``ids``, their tickets' ids or -1, are set by the writer (``Writer.given_arrays``)."""

    def __init__(self, table, numbers, positions):
        self.table, self.numbers, self.positions = table, numbers, positions
        self.ids = None

    def found(self):
        """The returns whose ticket this import wrote, and their ticket ids."""
        hit = pa.array(self.ids >= 0)
        return self.table.filter(hit), self.ids[self.ids >= 0]

    def rest(self):
        """The other returns, as ``(number, values)`` for the row-by-row path (their ticket is
        elsewhere, unsure or missing, which that path reports)."""
        if (self.ids >= 0).all():
            return []
        miss = pa.array(self.ids < 0)
        positions = self.positions.filter(miss).to_pylist()
        rows = zip(*(column.to_pylist() for column in self.table.filter(miss).columns))
        return [(self.numbers(i), row) for i, row in zip(positions, rows)]


def _stamp_type(value):
    return pa.int64() if value is None or isinstance(value, int) else pa.string()
