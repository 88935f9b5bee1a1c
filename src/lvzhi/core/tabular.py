"""The one engine for reading and writing tables (XLSX and CSV).

Every importer declares its columns once (``Column``) and reads rows with ``read_table``; every
exporter writes with ``write_xlsx`` / ``write_csv`` or the response helpers. Reading streams, so a
hotline file of millions of rows costs the memory of one batch, and messages name the file, the
row as the spreadsheet shows it and the field, in Chinese. See docs/tabular-and-documents.md.
"""

import bisect
import codecs
import csv
import io
import itertools
import math
import os
import re
import shutil
import tempfile
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date as date_type, datetime as datetime_type, time as time_type, timedelta
from decimal import Decimal, InvalidOperation

import filetype
import openpyxl
from django.conf import settings
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from django.db import transaction
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TableError(Exception):
    """The file as a whole cannot be read: not a table, bad header, undecodable text."""

    def __init__(self, messages):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("\n".join(self.messages))


class ParseError(ValueError):
    """Raised by a cell parser; the message says what is wrong with the value, in Chinese."""


# ---------------------------------------------------------------------------------------------
# Cell parsers: each takes a raw cell (str from CSV; str/int/float/datetime/bool from XLSX, or
# None for a blank cell) and returns the parsed value or raises ParseError.

def _clean(value):
    """A cell as trimmed text, or None when blank (full-width and zero-width spaces count as blank)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 12345 typed into Excel arrives as 12345.0
    elif isinstance(value, datetime_type):
        value = value.strftime("%Y-%m-%d %H:%M:%S" if value.time() else "%Y-%m-%d")
    text = str(value).strip().strip("\u200b\ufeff").strip()
    return text or None


def _normal(text):
    # NFKC folds full-width digits, letters and punctuation (２０２４－０１) into ASCII.
    return unicodedata.normalize("NFKC", text).strip().casefold()


def text(value):
    """Trimmed text; blank → None."""
    return _clean(value)


def required_text(value):
    """Trimmed text that must not be blank."""
    result = _clean(value)
    if result is None:
        raise ParseError("不能为空")
    return result


_INT_RE = re.compile(r"[+-]?(\d+|\d{1,3}(,\d{3})+)(\.0*)?")
_DECIMAL_RE = re.compile(r"[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d*)?|[+-]?\.\d+")


def integer(value):
    """A whole number (thousands separators and a trailing .0 accepted)."""
    if value is None or isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ParseError(f"应为整数，而不是“{value}”")
    raw = _clean(value)
    if raw is None:
        return None
    normal = _normal(raw)
    if not _INT_RE.fullmatch(normal):
        raise ParseError(f"无法识别的整数“{raw}”")
    return int(normal.replace(",", "").split(".")[0])


def non_negative_integer(value):
    """A whole number ≥ 0."""
    result = integer(value)
    if result is not None and result < 0:
        raise ParseError(f"不能为负数“{value}”")
    return result


def decimal(value):
    """An exact decimal number (thousands separators accepted)."""
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            raise ParseError(f"无法识别的数值“{value}”")
        return Decimal(str(value))
    raw = _clean(value)
    if raw is None:
        return None
    normal = _normal(raw)
    if not _DECIMAL_RE.fullmatch(normal):
        raise ParseError(f"无法识别的数值“{raw}”")
    try:
        return Decimal(normal.replace(",", ""))
    except InvalidOperation:
        raise ParseError(f"无法识别的数值“{raw}”") from None


_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_DATETIME_RE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:\s+|t)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?")


def _from_serial(value):
    # Only XLSX cells arrive as numbers; CSV serials are text and are not guessed.
    if not 1 <= value < 2958466:
        return None
    moment = from_excel(value)
    return (moment + timedelta(microseconds=500_000)).replace(microsecond=0)  # Excel float noise


def date(value):
    """A calendar date: YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, YYYY年M月D日, or an Excel date."""
    if value is None or type(value) is date_type:
        return value
    if isinstance(value, datetime_type):
        return value.date()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        moment = _from_serial(value)
        if moment is None:
            raise ParseError(f"无法识别的日期“{value}”，应为 YYYY-MM-DD")
        return moment.date()
    raw = _clean(value)
    if raw is None:
        return None
    match = _DATE_RE.fullmatch(_normal(raw))
    try:
        return date_type(*map(int, match.groups()))
    except (AttributeError, ValueError):
        raise ParseError(f"无法识别的日期“{raw}”，应为 YYYY-MM-DD") from None


def _aware(moment):
    if settings.USE_TZ and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


def datetime(value):
    """A moment: YYYY-MM-DD HH:MM[:SS] or YYYY/MM/DD ..., or an Excel date-time; in the current time zone."""
    if value is None:
        return None
    if isinstance(value, datetime_type):
        return _aware(value)
    if type(value) is date_type:
        return _aware(datetime_type.combine(value, time_type()))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        moment = _from_serial(value)
        if moment is None:
            raise ParseError(f"无法识别的时间“{value}”，应为 YYYY-MM-DD HH:MM[:SS]")
        return _aware(moment)
    raw = _clean(value)
    if raw is None:
        return None
    match = _DATETIME_RE.fullmatch(_normal(raw))
    try:
        y, mo, d, h, mi, s, frac = match.groups()
        micro = int((frac or "0").ljust(6, "0"))
        return _aware(datetime_type(int(y), int(mo), int(d), int(h), int(mi), int(s or 0), micro))
    except (AttributeError, ValueError):
        raise ParseError(f"无法识别的时间“{raw}”，应为 YYYY-MM-DD HH:MM[:SS]") from None


_TRUE = {"是", "true", "1", "yes", "y"}
_FALSE = {"否", "false", "0", "no", "n"}


def boolean(value):
    """是/否, true/false, yes/no, 1/0."""
    if value is None or isinstance(value, bool):
        return value
    raw = _clean(value)
    if raw is None:
        return None
    normal = _normal(raw)
    if normal in _TRUE:
        return True
    if normal in _FALSE:
        return False
    raise ParseError(f"无法识别的取值“{raw}”，应为 是 或 否")


def choice(choices, synonyms=None):
    """A parser accepting the Chinese labels (or the codes, or synonyms) of ``choices``; returns the code.

    ``choices`` is a Django ``TextChoices`` class, a sequence of ``(code, label)`` pairs, or a mapping
    ``{label: code}``. ``synonyms`` maps other accepted words to a label or a code.
    """
    if hasattr(choices, "choices"):
        choices = choices.choices
    pairs = [(code, label) for label, code in choices.items()] if isinstance(choices, dict) else list(choices)
    lookup = {}
    for code, label in pairs:
        lookup[_normal(str(code))] = code
        lookup[_normal(str(label))] = code
    for word, target in (synonyms or {}).items():
        lookup[_normal(word)] = lookup[_normal(str(target))]
    allowed = "、".join(str(label) for _, label in pairs)

    def parse(value):
        raw = _clean(value)
        if raw is None:
            return None
        try:
            return lookup[_normal(raw)]
        except KeyError:
            raise ParseError(f"无效的取值“{raw}”，应为：{allowed}") from None

    return parse


# ---------------------------------------------------------------------------------------------
# Reading

@dataclass(frozen=True)
class Column:
    """One column an importer understands. The header may be the label, the key or an alias."""

    key: str
    label: str
    aliases: tuple = ()
    required: bool = False  # the header must be present and no cell may be blank
    parse: Callable = text

    def names(self):
        return {_normal(n) for n in (self.label, self.key, *self.aliases)}


def row_message(filename, row, message, field=None):
    """The standard wording of a problem in one row (and field) of a file."""
    where = f"文件 {filename} 第{row}行"
    return f"{where}，字段“{field}”：{message}" if field else f"{where}：{message}"


class Row:
    """One data row. Unpacks as ``(number, values, errors)``; ``number`` is the spreadsheet row."""

    __slots__ = ("number", "values", "errors", "_reader")

    def __init__(self, number, values, errors, reader):
        self.number, self.values, self.errors, self._reader = number, values, errors, reader

    def __iter__(self):
        return iter((self.number, self.values, self.errors))

    def __repr__(self):
        return f"Row({self.number}, {self.values!r}, {self.errors!r})"

    @property
    def ok(self):
        return not self.errors

    def add_error(self, message, field=None):
        """Record a problem found after parsing (a duplicate, an unknown reference…); ``field`` is a key or label."""
        label = self._reader.labels.get(field, field) if field else None
        self.errors.append(row_message(self._reader.filename, self.number, message, label))


def _is_blank(value):
    return value is None or isinstance(value, str) and not value.strip()


class TableReader:
    """Iterates a table's data rows lazily; returned by ``read_table``.

    The header is read when iteration starts; a file-level problem raises ``TableError`` then.
    After that, ``present`` holds the keys of the columns the file has.
    """

    HEADER_SEARCH_ROWS = 10  # a title row or two above the header is common in exported sheets
    SNIFF_BYTES = 64 * 1024

    def __init__(self, source, filename, columns, sheet=None, ignore_unknown=False):
        if filename is None and isinstance(source, (str, os.PathLike)):
            filename = os.path.basename(os.fspath(source))
        self.source, self.filename, self.columns = source, filename or "（未命名）", list(columns)
        self.sheet, self.ignore_unknown = sheet, ignore_unknown
        self.labels = {c.key: c.label for c in self.columns}
        self.present = set()
        self.header_row = None
        self.encoding = None
        self._binary = None
        self._fraction = None
        self._to_close = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        while self._to_close:
            self._to_close.pop().close()

    def fraction(self):
        """How far through the file iteration is (0–1), or None when unknown."""
        return self._fraction() if self._fraction else None

    def fail(self, message):
        raise TableError(f"文件 {self.filename}：{message}")

    def __iter__(self):
        try:
            raw_rows = self._open()
            mapping, raw_rows = self._read_header(raw_rows)
            for number, cells in raw_rows:
                if all(_is_blank(v) for v in cells):
                    continue
                yield self._parse(number, cells, mapping)
        finally:
            self.close()

    # -- opening -------------------------------------------------------------------------------

    def _open(self):
        if isinstance(self.source, io.TextIOBase):
            return self._csv_rows(self.source)
        stream = self.source
        if isinstance(stream, (str, os.PathLike)):
            stream = open(stream, "rb")
            self._to_close.append(stream)
        elif not _seekable(stream):
            spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
            shutil.copyfileobj(stream, spool)
            self._to_close.append(spool)
            stream = spool
        stream.seek(0)
        head = stream.read(8)
        stream.seek(0)
        ext = self.filename.rsplit(".", 1)[-1].lower() if "." in self.filename else ""
        if head.startswith(b"PK\x03\x04"):
            return self._xlsx_rows(stream)
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            self.fail("是旧版 Excel（.xls）或其他 Office 二进制格式，请在 Excel 中另存为 .xlsx 或 CSV 后再导入")
        if ext in ("xlsx", "xlsm"):
            self.fail("不是有效的 Excel（.xlsx）文件，可能已损坏或只是改了扩展名")
        if ext not in ("csv", "txt", ""):
            self.fail(f"不支持的文件类型“.{ext}”，请使用 .xlsx 或 .csv 文件")
        return self._csv_rows(self._decode(stream))

    def _xlsx_rows(self, stream):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
                book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        except Exception:  # untrusted input: any failure to open means "not a workbook"
            self.fail("不是有效的 Excel（.xlsx）文件，可能已损坏或只是改了扩展名")
        self._to_close.append(book)
        if self.sheet is None:
            sheet = book.worksheets[0]
        elif isinstance(self.sheet, int) and 0 <= self.sheet < len(book.worksheets):
            sheet = book.worksheets[self.sheet]
        elif self.sheet in book.sheetnames:
            sheet = book[self.sheet]
        else:
            self.fail(f"没有工作表“{self.sheet}”，现有：{'、'.join(book.sheetnames)}")
        declared = sheet.max_row
        sheet.reset_dimensions()  # some writers record a wrong size; read to the real end
        position = [0]
        if declared:
            self._fraction = lambda: min(position[0] / declared, 1.0)
        return self._guarded_rows(sheet.iter_rows(values_only=True), position, "文件已损坏，无法继续读取")

    def _guarded_rows(self, rows, position, broken):
        number = 0
        while True:
            try:
                cells = next(rows)
            except StopIteration:
                return
            except UnicodeDecodeError:
                line = self._first_undecodable_line() or number + 1
                self.fail(f"第{line}行含有无法按 {self.encoding} 解码的字符，请另存为 UTF-8 编码的 CSV 后再导入")
            except csv.Error as exc:
                self.fail(f"第{number + 1}行附近不是有效的 CSV 内容（{exc}）")
            except Exception:  # corrupted workbook XML surfaces here, mid-stream
                self.fail(broken)
            number += 1
            position[0] = number
            yield number, cells

    def _decode(self, stream):
        """Detect UTF-8 (with or without BOM), UTF-16 (BOM) or GB18030/GBK, and decode as a stream."""
        sample = stream.read(self.SNIFF_BYTES)
        stream.seek(0)
        if sample.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"
        elif sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"
        else:
            kind = filetype.guess(sample)
            if kind is not None or b"\x00" in sample:
                found = f"（实际是 .{kind.extension} 文件）" if kind else ""
                self.fail(f"不是 CSV 文本文件{found}，请上传 .xlsx 或 .csv 文件")
            encoding = self._guess_encoding(stream, sample)
        decoded = sample.decode(encoding, errors="replace")
        controls = sum(1 for ch in decoded if ch < " " and ch not in "\t\r\n")
        if controls > len(decoded) / 100:
            self.fail("不是 CSV 文本文件（含有大量二进制内容），请上传 .xlsx 或 .csv 文件")
        self.encoding = {"utf-8-sig": "UTF-8", "gb18030": "GB18030/GBK"}.get(encoding, encoding.upper())
        size = _size(stream)
        if size:
            self._fraction = lambda: min(stream.tell() / size, 1.0)
        self._binary = (stream, encoding)
        return io.TextIOWrapper(io.BufferedReader(_Unclosable(stream)), encoding=encoding, newline="")

    def _first_undecodable_line(self):
        # The text stream decodes in chunks, so find the exact line again (only on this error path).
        if self._binary is None:
            return None
        stream, encoding = self._binary
        stream.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        for number, line in enumerate(iter(stream.readline, b""), 1):
            try:
                decoder.decode(line)
            except UnicodeDecodeError:
                return number
        return None

    def _guess_encoding(self, stream, sample):
        # ASCII is the same in both encodings, so look where the first non-ASCII byte is.
        offset, chunk = 0, sample
        stream.seek(len(sample))
        while chunk and chunk.isascii():
            offset += len(chunk)
            chunk = stream.read(self.SNIFF_BYTES)
        stream.seek(0)
        if not chunk:
            return "utf-8"
        start = next(i for i, b in enumerate(chunk) if b >= 0x80)
        window = chunk[start:]
        at_end = offset + len(chunk) >= (_size(stream) or 0)
        for encoding in ("utf-8", "gb18030"):
            try:
                codecs.getincrementaldecoder(encoding)().decode(window, final=at_end)
                return encoding
            except UnicodeDecodeError:
                continue
        self.fail("文字编码无法识别（应为 UTF-8 或 GB18030/GBK），请另存为 UTF-8 编码的 CSV 后再导入")

    def _csv_rows(self, stream):
        try:
            first = stream.readline()
        except UnicodeDecodeError:
            self.fail(f"含有无法按 {self.encoding} 解码的字符，请另存为 UTF-8 编码的 CSV 后再导入")
        counts = {d: first.count(d) for d in (",", "\t", ";")}
        delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
        rows = csv.reader(itertools.chain([first], stream), delimiter=delimiter)
        return self._guarded_rows(rows, [0], "文件已损坏，无法继续读取")

    # -- header and rows -----------------------------------------------------------------------

    def _read_header(self, raw_rows):
        by_name = {name: column for column in self.columns for name in column.names()}
        looked = []
        for number, cells in raw_rows:
            if all(_is_blank(v) for v in cells):
                continue
            looked.append((number, cells))
            if any(_normal(str(v)) in by_name for v in cells if not _is_blank(v)):
                break
            if len(looked) >= self.HEADER_SEARCH_ROWS:
                break
        if not looked:
            self.fail("文件为空，找不到表头行")
        if any(_normal(str(v)) in by_name for v in looked[-1][1] if not _is_blank(v)):
            number, cells = looked[-1]
            rest = raw_rows
        else:  # no row looks like our header: report against the first one
            (number, cells), rest = looked[0], itertools.chain(looked[1:], raw_rows)
        self.header_row = number
        problems, mapping, seen = [], [], {}
        for index, value in enumerate(cells):
            if _is_blank(value):
                continue
            name = str(value).strip()
            column = by_name.get(_normal(name))
            if column is None:
                if not self.ignore_unknown:
                    problems.append(f"无法识别的列“{name}”")
            elif column.key in seen:
                problems.append(f"列“{seen[column.key]}”与“{name}”重复，都表示“{column.label}”")
            else:
                seen[column.key] = name
                mapping.append((index, column))
        for column in self.columns:
            if column.required and column.key not in seen:
                problems.append(f"缺少必填列“{column.label}”（也可写作 {column.key}）")
        if problems:
            accepted = "、".join(f"{c.label}（{c.key}）" for c in self.columns)
            messages = [f"文件 {self.filename} 第{number}行表头：{p}" for p in problems]
            raise TableError([*messages, f"可用的列：{accepted}"])
        self.present = set(seen)
        return mapping, rest

    def _parse(self, number, cells, mapping):
        values = dict.fromkeys(self.labels)
        errors = []
        width = len(cells)
        for index, column in mapping:
            raw = cells[index] if index < width else None
            if isinstance(raw, str) and not raw.strip():
                raw = None
            try:
                value = column.parse(raw)
            except ParseError as exc:
                errors.append(row_message(self.filename, number, str(exc), column.label))
                continue
            if value is None and column.required:
                errors.append(row_message(self.filename, number, "不能为空", column.label))
            values[column.key] = value
        return Row(number, values, errors, self)


class _Unclosable(io.RawIOBase):
    """Lets TextIOWrapper stream any binary file object without closing the caller's file."""

    def __init__(self, stream):
        self.stream = stream

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def tell(self):
        return self.stream.tell()


def _seekable(stream):
    try:
        return stream.seekable()
    except (AttributeError, ValueError):
        return False


def _size(stream):
    try:
        here = stream.tell()
        end = stream.seek(0, io.SEEK_END)
        stream.seek(here)
        return end
    except (AttributeError, OSError, ValueError):
        return None


def read_table(fileobj_or_path, filename, columns, *, sheet=None, ignore_unknown=False):
    """Read an XLSX or CSV table lazily, yielding ``Row`` (``number, values, errors``) per data row.

    ``filename`` is used in messages and for the extension (the content decides the format, so a
    workbook saved as .csv still reads). ``sheet`` is a name or 0-based index (default: the first).
    Unknown headers are an error unless ``ignore_unknown``. Blank rows are skipped. Raises
    ``TableError`` (when iteration starts) for a file that cannot be read as a table.
    """
    return TableReader(fileobj_or_path, filename, columns, sheet=sheet, ignore_unknown=ignore_unknown)


# ---------------------------------------------------------------------------------------------
# Importing

@dataclass
class ImportReport:
    """What an import did, or would have done: counts, rejected rows with reasons, file errors."""

    filename: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list = field(default_factory=list)  # [(row number, [messages])]
    errors: list = field(default_factory=list)  # file-level messages
    notes: list = field(default_factory=list)  # things worth telling that are not errors
    omitted: int = 0  # rejected rows beyond MAX_LISTED, counted but not listed
    committed: bool = False
    dry_run: bool = False

    MAX_LISTED = 1000  # a file where every row is bad must not produce a million-line report

    @property
    def ok(self):
        return not self.errors and not self.rejected_count

    @property
    def rejected_count(self):
        return len(self.rejected) + self.omitted

    def reject(self, row):
        if len(self.rejected) < self.MAX_LISTED:
            # By row number: importers reject bad cells while reading and other checks afterwards.
            bisect.insort(self.rejected, (row.number, list(row.errors)), key=lambda r: r[0])
        else:
            self.omitted += 1

    def keep_valid(self, rows):
        """Reject the rows that have errors and return the others."""
        good = []
        for row in rows:
            if row.errors:
                self.reject(row)
            else:
                good.append(row)
        return good

    def note(self, message):
        if message not in self.notes:
            self.notes.append(message)

    def discard_counts(self):
        self.created = self.updated = self.unchanged = 0

    def lines(self):
        """The report as Chinese sentences, summary first."""
        name = f"文件 {self.filename}" if self.filename else "本次导入"
        if self.errors:
            return [f"{name}：无法导入，未写入任何数据。", *self.errors]
        counts = f"新增 {self.created} 条，更新 {self.updated} 条，未变 {self.unchanged} 条"
        bad = self.rejected_count
        if self.committed:
            summary = f"{name}：共 {self.rows} 行，{counts}" + (f"，拒绝 {bad} 行（其余正确的行已导入）。" if bad else "。")
        elif bad:
            summary = f"{name}：共 {self.rows} 行，其中 {bad} 行有错误，未写入任何数据。请修改后重新导入。"
        elif self.dry_run:
            summary = f"{name}：共 {self.rows} 行，检查通过。导入后将{counts}（本次为预检，未写入）。"
        else:
            summary = f"{name}：共 {self.rows} 行，检查通过，尚未写入。"
        out = [summary]
        for _, messages in self.rejected:
            out.extend(messages)
        if self.omitted:
            out.append(f"……另有 {self.omitted} 行有错误，未逐条列出。")
        return out + self.notes

    def to_dict(self):
        return {
            "filename": self.filename, "rows": self.rows, "created": self.created, "updated": self.updated,
            "unchanged": self.unchanged, "rejected": [{"row": n, "messages": m} for n, m in self.rejected],
            "omitted": self.omitted, "errors": list(self.errors), "notes": list(self.notes),
            "committed": self.committed, "dry_run": self.dry_run, "lines": self.lines(),
        }


def collect(rows, report=None):
    """Read every row of a (small) file into memory: returns ``(valid rows, report)``.

    Bad rows go to ``report.rejected``; a file that cannot be read goes to ``report.errors``. The
    caller checks more (``row.add_error``), calls ``report.keep_valid(rows)``, and writes only if
    ``report.ok`` (or it allows importing the good rows), then sets ``report.committed``.
    """
    report = report or ImportReport(filename=getattr(rows, "filename", ""))
    good = []
    try:
        for row in rows:
            report.rows += 1
            if row.errors:
                report.reject(row)
            else:
                good.append(row)
    except TableError as exc:
        report.errors.extend(exc.messages)
        return [], report
    return good, report


class _Rollback(Exception):
    pass


def _batches(rows, size):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def import_rows(rows, write, *, check=None, partial=False, dry_run=False, batch_size=1000, report=None,
                progress=None):
    """Import all or nothing: validate every row first, then write the valid ones in one transaction.

    ``rows`` is read twice (the reader from ``read_table`` re-reads its file; a list works too), so
    memory stays at one batch whatever the file size, and a file with errors causes no writes at all.
    ``check(batch, report)`` looks rows up in the database and adds problems with ``row.add_error``;
    it runs in both passes, so it may also attach what ``write`` needs to ``row.values``.
    ``write(batch, report)`` saves valid rows and counts them in ``report.created`` / ``updated`` /
    ``unchanged``; a row it refuses gets ``row.add_error`` and is not saved. Any bad row means
    nothing is written, unless ``partial`` (the user asked to import the good rows). ``dry_run``
    does everything and rolls back, for a preview. ``progress(stage, done, total)`` is called per
    batch with stage 检查 (total None) then 写入.
    """
    if iter(rows) is rows:
        raise TypeError("import_rows reads the rows twice: pass the reader from read_table or a list")
    report = report or ImportReport(filename=getattr(rows, "filename", ""))
    report.dry_run = dry_run
    bad = set()
    try:
        for batch in _batches(rows, batch_size):
            report.rows += len(batch)
            if check:
                check(batch, report)
            bad.update(row.number for row in batch if row.errors)
            report.keep_valid(batch)
            if progress:
                progress("检查", report.rows, None)
    except TableError as exc:
        report.errors.extend(exc.messages)
        return report
    if not partial and not report.ok:
        return report
    total, done = report.rows - len(bad), 0
    try:
        with transaction.atomic():
            for batch in _batches((row for row in rows if row.number not in bad), batch_size):
                if check:
                    check(batch, report)
                batch = report.keep_valid(batch)
                if batch:
                    write(batch, report)
                    report.keep_valid(batch)
                done += len(batch)
                if progress:
                    progress("写入", done, total)
            if dry_run or not (partial or report.ok):
                raise _Rollback
    except _Rollback:
        if not dry_run or not (partial or report.ok):
            report.discard_counts()
    except TableError as exc:  # the file changed or broke between the two passes
        report.errors.extend(exc.messages)
        report.discard_counts()
    else:
        report.committed = True
    return report


# ---------------------------------------------------------------------------------------------
# Writing

_END = object()
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
EXCEL_MAX_ROWS = 1_048_576
_MAX_CELL_TEXT = 32_767
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")


def neutralise(value):
    """Defuse spreadsheet formula injection: text starting with = + - @ tab or CR gets a leading '.

    Text that is just a signed number ("-3", "+86") cannot run anything and is left alone.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


@dataclass
class Sheet:
    """One worksheet to write: ``rows`` may be any iterable (a generator or queryset iterator)."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence]
    widths: Sequence[float] | None = None  # in characters; None = estimated from the first rows


def _local(moment):
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.replace(tzinfo=None)


def _xlsx_value(value):
    if value is None or isinstance(value, (int, Decimal, date_type, time_type)) and not isinstance(value, bool):
        return _local(value) if isinstance(value, datetime_type) else value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    value = ILLEGAL_CHARACTERS_RE.sub("", str(value))  # control characters make the file unreadable
    if len(value) > _MAX_CELL_TEXT:
        value = value[: _MAX_CELL_TEXT - 1] + "…"
    return neutralise(value)


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime_type):
        return _local(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, (int, float, Decimal, date_type, time_type)):
        return str(value)
    return neutralise(str(value))


def _display_width(value):
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _sheet_title(title, used):
    base = (_SHEET_TITLE_BAD.sub("_", str(title)).strip("'") or "Sheet")[:31]
    candidate, n = base, 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{base[:31 - len(str(n)) - 2]}（{n}）"
    used.add(candidate.lower())
    return candidate


def write_xlsx(path_or_fileobj, sheets):
    """Write sheets (``Sheet`` or ``(title, header, rows)``) to an XLSX file, streaming.

    The header is bold and frozen, widths fit the header and the first rows, and text that could
    run as a formula is neutralised. A sheet longer than Excel's limit continues in 名称（2）….
    """
    book = openpyxl.Workbook(write_only=True)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E7ECF3")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    used = set()
    for sheet in sheets:
        sheet = sheet if isinstance(sheet, Sheet) else Sheet(*sheet)
        rows = iter(sheet.rows)
        first = list(itertools.islice(rows, 200))
        if sheet.widths:
            widths = list(sheet.widths)
        else:
            widths = [max([_display_width(h)] + [_display_width(r[i]) for r in first if i < len(r)]) + 2
                      for i, h in enumerate(sheet.header)]
            widths = [min(max(w, 8), 60) for w in widths]
        rows = itertools.chain(first, rows)
        pending, part = next(rows, _END), 0
        while True:
            part += 1
            ws = book.create_sheet(_sheet_title(sheet.title if part == 1 else f"{sheet.title}（{part}）", used))
            for i, width in enumerate(widths, 1):
                ws.column_dimensions[get_column_letter(i)].width = width
            ws.freeze_panes = "A2"
            header = []
            for label in sheet.header:
                cell = WriteOnlyCell(ws, value=_xlsx_value(label))
                cell.font, cell.fill, cell.alignment = bold, fill, centre
                header.append(cell)
            ws.append(header)
            written = 1
            while pending is not _END and written < EXCEL_MAX_ROWS:
                ws.append([_xlsx_value(v) for v in pending])
                written += 1
                pending = next(rows, _END)
            if pending is _END:
                break
    if not used:
        book.create_sheet("Sheet")
    book.save(path_or_fileobj)


def iter_csv(header, rows, encoding="utf-8-sig"):
    """Yield a CSV file as encoded byte chunks; ``utf-8-sig`` (the default) lets Excel show Chinese."""
    encoder = codecs.getincrementalencoder(encoding)(errors="replace")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_csv_value(v) for v in header])
    for n, row in enumerate(rows, 1):
        writer.writerow([_csv_value(v) for v in row])
        if n % 500 == 0:
            yield encoder.encode(buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()
    yield encoder.encode(buffer.getvalue(), final=True)


def write_csv(fileobj, header, rows, encoding="utf-8-sig"):
    """Write a CSV to a binary file object or a path, streaming, with formula injection neutralised."""
    if isinstance(fileobj, (str, os.PathLike)):
        with open(fileobj, "wb") as out:
            return write_csv(out, header, rows, encoding)
    for chunk in iter_csv(header, rows, encoding):
        fileobj.write(chunk)


def _with_suffix(filename, suffix):
    return filename if filename.lower().endswith(suffix) else filename + suffix


def xlsx_response(filename, sheets):
    """A download of ``sheets`` as XLSX; built in a temporary file so big exports stay out of memory."""
    spool = tempfile.TemporaryFile()
    write_xlsx(spool, sheets)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=_with_suffix(filename, ".xlsx"),
                        content_type=XLSX_CONTENT_TYPE)


def csv_response(filename, header, rows, encoding="utf-8-sig"):
    """A streamed CSV download; rows are produced as the client reads."""
    charset = "utf-8" if encoding.lower().replace("_", "-") in ("utf-8-sig", "utf8-sig") else encoding
    response = StreamingHttpResponse(iter_csv(header, rows, encoding), content_type=f"text/csv; charset={charset}")
    response["Content-Disposition"] = content_disposition_header(True, _with_suffix(filename, ".csv"))
    return response
