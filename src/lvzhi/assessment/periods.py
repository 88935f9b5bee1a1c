"""Assessment periods: a quarter (``2026Q3``) or a year (``2026``), the same codes the 三定
execution checks use, so an indicator can find the checks of a campaign's period."""

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

PERIOD_RE = re.compile(r"^(\d{4})(?:Q([1-4]))?$")


@dataclass(frozen=True)
class Period:
    code: str
    year: int
    quarter: int | None

    @classmethod
    def parse(cls, code):
        m = PERIOD_RE.match(str(code or "").strip().upper())
        if not m:
            raise ValidationError(f"考核期间“{code}”无效，应为如 2026Q3（季度）或 2026（年度）。")
        year, quarter = int(m.group(1)), int(m.group(2)) if m.group(2) else None
        return cls(f"{year}Q{quarter}" if quarter else str(year), year, quarter)

    @classmethod
    def current_quarter(cls, today=None):
        today = today or timezone.localdate()
        return cls.parse(f"{today.year}Q{(today.month - 1) // 3 + 1}")

    @property
    def kind(self):
        return "quarter" if self.quarter else "year"

    @property
    def label(self):
        return f"{self.year}年第{self.quarter}季度" if self.quarter else f"{self.year}年度"

    @property
    def start(self):
        return dt.date(self.year, 3 * self.quarter - 2 if self.quarter else 1, 1)

    @property
    def end(self):
        if not self.quarter or self.quarter == 4:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, 3 * self.quarter + 1, 1) - dt.timedelta(days=1)

    def previous(self):
        if not self.quarter:
            return Period.parse(str(self.year - 1))
        return Period.parse(f"{self.year - 1}Q4" if self.quarter == 1 else f"{self.year}Q{self.quarter - 1}")

    def check_codes(self):
        """Codes of the 三定 check periods that fall inside this period."""
        if self.quarter:
            return [self.code]
        year = self.year
        return [str(year), f"{year}H1", f"{year}H2", *(f"{year}Q{q}" for q in range(1, 5))]
