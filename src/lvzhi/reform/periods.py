"""Periods of workload figures: a year (2025), a half (2025H1) or a quarter (2025Q3)."""

import datetime as dt
import re

PERIOD_RE = re.compile(r"^(\d{4})(?:([QH])([1-4]))?$")


def valid(code):
    m = PERIOD_RE.match(code or "")
    return bool(m) and (m.group(2) is None or m.group(2) == "Q" or m.group(3) in "12")


def date_range(code):
    """First and last day of a valid period."""
    year, kind, n = PERIOD_RE.match(code).groups()
    year, months = int(year), {"Q": 3, "H": 6}.get(kind, 12)
    first_month = (int(n) - 1) * months + 1 if kind else 1
    last_month = first_month + months - 1
    end = dt.date(year + 1, 1, 1) if last_month == 12 else dt.date(year, last_month + 1, 1)
    return dt.date(year, first_month, 1), end - dt.timedelta(days=1)


def label(code):
    m = PERIOD_RE.match(code or "")
    if not m:
        return code
    year, kind, n = m.groups()
    if kind == "Q":
        return f"{year}年第{n}季度"
    if kind == "H":
        return f"{year}年{'上' if n == '1' else '下'}半年"
    return f"{year}年度"


def parse(value):
    """A period typed in a form or a spreadsheet: 2025, 2025Q3, 2025年, 2025年第3季度, 2025H1."""
    text = str(value or "").strip().upper().replace(" ", "")
    text = re.sub(r"^(\d{4})年度?$", r"\1", text)
    text = re.sub(r"^(\d{4})年第?([1-4])季度$", r"\1Q\2", text)
    text = re.sub(r"^(\d{4})年上半年$", r"\1H1", text)
    text = re.sub(r"^(\d{4})年下半年$", r"\1H2", text)
    text = text.split(".")[0] if re.fullmatch(r"\d{4}\.0+", text) else text
    return text if valid(text) else None
