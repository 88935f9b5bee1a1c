"""Rows of a tickets or returns file as ``(number, cells, errors)``, cells in the columns' order.

Every file goes through ``lvzhi.core.tabular`` first: it recognises XLSX or CSV, the encoding
(UTF-8, UTF-8 with BOM, GB18030/GBK), the header row and its aliases, and refuses a bad file
with its usual messages. XLSX rows are then read through ``read_table`` itself. A CSV — the
form million-row exports take — is re-read with the C ``csv`` reader in the encoding and column
positions ``read_table`` found, because the generic per-cell path costs more than the database
write at this volume; row numbers and messages are the same. A tickets CSV is read in Arrow
columns instead (``columnar``).
"""

import csv
import io
import itertools
import os
import unicodedata

from lvzhi.core import tabular


# tabular's names for the encodings it detected → the codec to stream with.
CODECS = {"UTF-8": "utf-8-sig", "GB18030/GBK": "gb18030", "UTF-16": "utf-16"}


def _normal(text):
    return unicodedata.normalize("NFKC", str(text)).strip().casefold()


class FileSource:
    """One uploaded or named file; iterate for rows. ``fraction()`` tells progress (0–1)."""

    def __init__(self, path, filename, columns):
        self.path, self.filename, self.columns = os.fspath(path), filename, tuple(columns)
        self.keys = tuple(c.key for c in self.columns)
        self.size = os.path.getsize(self.path)
        self._fraction = None
        self._probed = None

    def fraction(self):
        return self._fraction() if self._fraction else None

    def set_fraction(self, function):
        self._fraction = function

    def probe(self):
        """Read the header through tabular: ``(codec or None, header row)``; a bad file raises TableError."""
        if self._probed is None:
            reader = tabular.read_table(self.path, self.filename, self.columns)
            rows = iter(reader)
            next(rows, None)
            rows.close()
            self.encoding = reader.encoding
            self._probed = (CODECS.get(reader.encoding) if reader.encoding else None, reader.header_row)
        return self._probed

    def blocks(self):
        """The file as blocks of Arrow columns (``CsvBlocks``), or None when it is read row by row."""
        codec, header_row = self.probe()
        if codec not in ("utf-8-sig", "gb18030") or header_row != 1:
            return None
        with open(self.path, encoding=codec, newline="") as fh:
            first = fh.readline()
        if first.count('"') % 2:  # a header cell spanning lines: the row-by-row reader copes
            return None
        delimiter = _delimiter(first)
        header = next(csv.reader([first], delimiter=delimiter))
        from .columnar import CsvBlocks  # Arrow is loaded by the imports that read a CSV, not by every page

        return CsvBlocks(self, codec, delimiter, header)

    def __iter__(self):
        codec, header_row = self.probe()
        if codec is None:
            yield from self._through_tabular()
            return
        yield from self._csv(codec, header_row)

    def _through_tabular(self):
        reader = tabular.read_table(self.path, self.filename, self.columns)
        self._fraction = reader.fraction
        keys = self.keys
        for row in reader:
            values = row.values
            yield row.number, ["" if values[k] is None else values[k] for k in keys], row.errors

    def _csv(self, codec, header_row):
        """Rows straight from the C reader: ``(number, cells, None)``. Blank and short rows are left
        to the row checks, so the common row costs no Python code here."""
        with open(self.path, "rb") as raw:
            self._fraction = lambda: raw.tell() / self.size if self.size else None
            text = io.TextIOWrapper(raw, encoding=codec, newline="")
            numbers = itertools.count(1)
            try:
                first = text.readline()
                records = csv.reader(itertools.chain([first], text), delimiter=_delimiter(first))
                for number, cells in zip(numbers, records):
                    if number == header_row:
                        pick = self._picker(cells)
                        break
                else:
                    return
                if pick is None:
                    yield from zip(numbers, records, itertools.repeat(None))
                else:
                    for number, cells in zip(numbers, records):
                        yield number, pick(cells), None
            except UnicodeDecodeError:
                raise tabular.TableError(
                    f"文件 {self.filename}：第{next(numbers) - 1}行附近含有无法按 {self.encoding} 解码的字符，"
                    "请另存为 UTF-8 编码的 CSV 后再导入") from None
            except csv.Error as exc:
                raise tabular.TableError(
                    f"文件 {self.filename}：第{next(numbers) - 1}行附近不是有效的 CSV 内容（{exc}）") from None
            finally:
                self._fraction = lambda: 1.0  # the file is closed once the rows are read

    def column_order(self, header):
        """For each column, its position among the file's cells (None when the file lacks it)."""
        positions = {}
        by_name = {name: column.key for column in self.columns for name in column.names()}
        for index, value in enumerate(header):
            key = by_name.get(_normal(value)) if value and value.strip() else None
            if key is not None:
                positions[key] = index
        return [positions.get(key) for key in self.keys]

    def _picker(self, header):
        """A function taking the file's cells to the columns' order (None: already in order)."""
        order = self.column_order(header)
        if order == list(range(len(self.keys))) and len(header) == len(self.keys):
            return None
        return _Pick(order)


class _Pick:
    """Cells to the columns' order."""

    def __init__(self, order):
        self.order = order

    def __call__(self, cells):
        width = len(cells)
        return [cells[i] if i is not None and i < width else "" for i in self.order]


def _delimiter(first_line):
    counts = {d: first_line.count(d) for d in (",", "\t", ";")}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def rows_from_records(records, columns, filename="接口数据"):
    """API records (dicts keyed by column key, Chinese label or alias) as source rows; record N is row N."""
    by_name = {name: column.key for column in columns for name in column.names()}
    keys = [c.key for c in columns]
    parsers = {c.key: c.parse for c in columns}
    for number, record in enumerate(records, 1):
        errors, values = [], {}
        if not isinstance(record, dict):
            errors.append(f"第{number}条{filename}：应为对象（字段名: 值）")
            yield number, [""] * len(keys), errors
            continue
        for name, value in record.items():
            key = by_name.get(_normal(name))
            if key is None:
                errors.append(f"第{number}条{filename}：无法识别的字段“{name}”")
                continue
            try:
                parsed = parsers[key](value if not isinstance(value, (int, float)) or isinstance(value, bool)
                                      else str(value))
            except tabular.ParseError as exc:
                errors.append(f"第{number}条{filename}，字段“{name}”：{exc}")
                continue
            values[key] = "" if parsed is None else parsed
        yield number, [values.get(k, "") for k in keys], errors
