"""Row checks for tickets and returns: one call per row, fast on the common shape.

A row comes in as text cells and leaves as the tuple the writers store, or its Chinese messages
(naming the file or record, the row and the field) go to ``rejected``. Canonical date-times
(``YYYY-MM-DD HH:MM:SS``) are checked with an hour-level cache that also holds the database form,
the working-day ordinal and the month; every other form (``/`` separators, no seconds, Excel
cells…) goes through ``lvzhi.core.tabular``'s parser, so the accepted forms and the messages are
the engine's.
"""

import datetime as dt
import hashlib

from django.utils import timezone

from lvzhi.core import tabular

from .columns import (
    KIND_WORDS,
    LABELS,
    NOT_RATED,
    RETURN_KEYS,
    SATISFACTION_WORDS,
    TICKET_KEYS,
    parse_kind,
    parse_satisfaction,
)

UTC = dt.timezone.utc
_HOUR = dt.timedelta(hours=1)
_TAILS = frozenset(f":{m:02d}:{s:02d}" for m in range(60) for s in range(60))
_OPEN = (None, None, None, None)  # an open ticket's closing time, ordinal, month and suffix


class BadRow:
    """A refused row as ``ImportReport.reject`` takes it."""

    __slots__ = ("number", "errors")

    def __init__(self, number, errors):
        self.number, self.errors = number, errors


def fingerprint(*parts):
    """A stable signed 64-bit digest of text parts (the natural key of a return)."""
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class Moments:
    """Canonical local date-time text → ``(database text, working-day ordinal, YYYYMM)``.

    SQLite stores UTC text, so ``utc=True`` converts; PostgreSQL receives the local text with its
    UTC offset (``+08:00``) appended.
    """

    def __init__(self, clock, utc):
        self.clock, self.utc = clock, utc
        self.zone = timezone.get_current_timezone()
        # "YYYY-MM-DD HH" -> (the prefix as stored — UTC on SQLite, None there when the zone's
        # offset is not whole hours —, working-day ordinal, YYYYMM, suffix after the seconds)
        self.hours = {}

    def hour(self, prefix):
        """The cache entry of a valid ``YYYY-MM-DD HH`` prefix (None when it is not one)."""
        if len(prefix) != 13 or prefix[4] != "-" or prefix[7] != "-" or prefix[10] != " ":
            return None
        digits = prefix[0:4] + prefix[5:7] + prefix[8:10] + prefix[11:13]
        if not (digits.isascii() and digits.isdigit()):
            return None
        try:
            local = dt.datetime(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]), int(digits[8:10]), tzinfo=self.zone)
        except ValueError:
            return None
        suffix = ""
        if not self.utc:
            stored, suffix = prefix, local.strftime("%z")
            suffix = f"{suffix[:3]}:{suffix[3:]}"
        elif local.utcoffset() % _HOUR == dt.timedelta(0):
            stored = local.astimezone(UTC).strftime("%Y-%m-%d %H")
        else:
            stored = None
        ordinal = self.clock.by_text.get(prefix[:10])
        if ordinal is None:
            ordinal = self.clock.ordinal(local.date())
        entry = self.hours[prefix] = (stored, ordinal, int(digits[0:6]), suffix)
        return entry

    def fast(self, text):
        """``(database text, ordinal, month)`` for a canonical ``YYYY-MM-DD HH:MM:SS``, else None."""
        entry = self.hours.get(text[:13]) or self.hour(text[:13])
        if entry is None or entry[0] is None or text[13:] not in _TAILS:
            return None
        return entry[0] + text[13:] + entry[3], entry[1], entry[2]

    def parse(self, text):
        """``(canonical local text, database text, ordinal, month)`` for any accepted form."""
        got = self.fast(text)
        if got is not None:
            return (text,) + got
        moment = tabular.datetime(text)  # other accepted forms, or the engine's message
        local = timezone.localtime(moment, self.zone)
        canonical = local.strftime("%Y-%m-%d %H:%M:%S")
        got = self.fast(canonical)
        if got is None:  # a zone whose offset is not whole hours
            entry = self.hour(canonical[:13])
            got = (local.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if self.utc else canonical,
                   entry[1], entry[2])
        return (canonical,) + got


def file_location(filename):
    def where(number, message, field):
        return tabular.row_message(filename, number, message, LABELS.get(field, field))
    return where


def record_location(what):
    def where(number, message, field):
        return f"第{number}条{what}，字段“{LABELS.get(field, field)}”：{message}"
    return where


class _Checker:
    """``check(number, cells, errors)`` returns the row to store, or None: a blank row, or a bad
    row whose messages were added to ``rejected`` as ``(number, [messages])``."""

    width = 0

    def __init__(self, where, resolver, moments, stamp=()):
        self.where, self.resolver, self.moments, self.stamp = where, resolver, moments, tuple(stamp)
        self.seen = set()  # hash() of the keys met in this file: repeats are errors
        self.rejected = []
        self.blank = 0

    def _error(self, errors, number, message, field):
        errors.append(self.where(number, message, field))

    def _moment(self, errors, number, text, field):
        try:
            return self.moments.parse(text)
        except tabular.ParseError as exc:
            self._error(errors, number, str(exc), field)
            return None

    def _cells(self, cells):
        """The cells as trimmed text, exactly ``width`` of them, or None for a blank row."""
        cells = [("" if c is None else str(c)).strip() for c in cells[:self.width]]
        if not any(cells):
            return None
        return cells + [""] * (self.width - len(cells))

    def _reject(self, number, errors):
        self.rejected.append((number, errors))


class TicketChecker(_Checker):
    width = len(TICKET_KEYS)
    key_at = 0  # the value that must be unique in a file: the ticket number

    @staticmethod
    def key_of(cells):
        """The duplicate key of a refused row: its ticket number (a later row with it is a repeat)."""
        return str(cells[0] or "").strip() if cells else ""

    @staticmethod
    def duplicate_message(values):
        return f"工单编号 {values[0]} 在本文件中重复出现"

    def check(self, number, cells, errors=None):
        try:
            ticket_no, received, content, kind, address, handler, closed, result, satisfaction = map(str.strip, cells)
        except (ValueError, TypeError):  # a short, long or odd row: the careful path
            return self._careful(number, cells, errors)
        # The common case inline: canonical times, known kind and rating, nothing wrong.
        if ticket_no and content and not errors and len(ticket_no) <= 64 and len(address) <= 300 \
                and len(handler) <= 200:
            hours = self.moments.hours
            got = hours.get(received[:13]) or self.moments.hour(received[:13])
            shut = (hours.get(closed[:13]) or self.moments.hour(closed[:13])) if closed else _OPEN
            code = KIND_WORDS.get(kind)
            rating = SATISFACTION_WORDS.get(satisfaction)
            key = hash(ticket_no)
            if got is not None and got[0] is not None and received[13:] in _TAILS and shut is not None \
                    and (not closed or shut[0] is not None and closed[13:] in _TAILS and closed >= received) \
                    and code is not None and rating is not None and key not in self.seen:
                self.seen.add(key)
                return (ticket_no, got[0] + received[13:] + got[3], got[2], got[1], content, code, address,
                        self.resolver.resolve(handler), handler, shut[0] + closed[13:] + shut[3] if closed else None,
                        shut[1], result, rating) + self.stamp
        return self._careful(number, cells, errors)

    def _careful(self, number, cells, errors):
        cells = self._cells(cells)
        if cells is None:
            self.blank += 1
            return None
        ticket_no, received, content, kind, address, handler, closed, result, satisfaction = cells
        errors = list(errors) if errors else []
        if not ticket_no:
            self._error(errors, number, "不能为空", "ticket_no")
        elif len(ticket_no) > 64:
            self._error(errors, number, "超过 64 个字符", "ticket_no")
        got = None
        if not received:
            self._error(errors, number, "不能为空", "received_at")
        else:
            got = self._moment(errors, number, received, "received_at")
        if not content:
            self._error(errors, number, "不能为空", "content")
        code = KIND_WORDS.get(kind)
        if code is None:
            try:
                code = parse_kind(kind)
            except tabular.ParseError as exc:
                self._error(errors, number, str(exc), "kind")
        if len(address) > 300:
            self._error(errors, number, "超过 300 个字符", "address")
        if len(handler) > 200:
            self._error(errors, number, "超过 200 个字符", "handler")
        shut = None
        if closed:
            shut = self._moment(errors, number, closed, "closed_at")
            if shut is not None and got is not None and shut[0] < got[0]:
                self._error(errors, number, f"办结时间 {shut[0]} 早于受理时间 {got[0]}", "closed_at")
        rating = SATISFACTION_WORDS.get(satisfaction)
        if rating is None:
            try:
                rating = "" if satisfaction in NOT_RATED else parse_satisfaction(satisfaction)
            except tabular.ParseError as exc:
                self._error(errors, number, str(exc), "satisfaction")
        if ticket_no:
            key = hash(ticket_no)
            if key in self.seen and not errors:
                self._error(errors, number, self.duplicate_message((ticket_no,)), "ticket_no")
            self.seen.add(key)
        if errors:
            self._reject(number, errors)
            return None
        _, received_db, received_wd, month = got
        closed_db, closed_wd = (shut[1], shut[2]) if shut else (None, None)
        return (ticket_no, received_db, month, received_wd, content, code, address, self.resolver.resolve(handler),
                handler, closed_db, closed_wd, result, rating) + self.stamp


class ReturnChecker(_Checker):
    """The ticket's existence is checked per batch by the importer (it needs the database)."""

    width = len(RETURN_KEYS)
    key_at = 7  # the return's natural key (ticket, time, returning unit)

    @staticmethod
    def key_of(cells):
        """A refused return row does not make a later one a repeat."""
        return None

    @staticmethod
    def duplicate_message(values):
        return f"工单 {values[0]} 由“{values[3]}”退单的这条记录在本文件中重复出现"

    def check(self, number, cells, errors=None):
        try:
            ticket_no, returned, source, reason, target = map(str.strip, cells)
        except (ValueError, TypeError):
            return self._careful(number, cells, errors)
        if ticket_no and source and reason and not errors and len(source) <= 200 and len(target) <= 200:
            got = self.moments.fast(returned)
            if got is not None:
                key = fingerprint(ticket_no, returned, source)
                if hash(key) not in self.seen:
                    self.seen.add(hash(key))
                    resolve = self.resolver.resolve
                    return (ticket_no, got[0], resolve(source), source, reason, resolve(target), target,
                            key) + self.stamp
        return self._careful(number, cells, errors)

    def _careful(self, number, cells, errors):
        cells = self._cells(cells)
        if cells is None:
            self.blank += 1
            return None
        ticket_no, returned, source, reason, target = cells
        errors = list(errors) if errors else []
        for field, value in (("ticket_no", ticket_no), ("returned_at", returned), ("from_department", source),
                             ("reason", reason)):
            if not value:
                self._error(errors, number, "不能为空", field)
        got = self._moment(errors, number, returned, "returned_at") if returned else None
        for field, value in (("from_department", source), ("to_department", target)):
            if len(value) > 200:
                self._error(errors, number, "超过 200 个字符", field)
        if not errors:
            key = fingerprint(ticket_no, got[0], source)
            if hash(key) in self.seen:
                self._error(errors, number, self.duplicate_message((ticket_no, None, None, source)), "ticket_no")
            self.seen.add(hash(key))
        if errors:
            self._reject(number, errors)
            return None
        return (ticket_no, got[1], self.resolver.resolve(source), source, reason, self.resolver.resolve(target),
                target, key) + self.stamp
