"""Department names as the hotline writes them → departments.

A name matches a department's code, full name or short name, or an alias the office keeps
(``DepartmentAlias``), after folding full-width characters, spaces and letter case. A name that
matches nothing, or more than one department, stays text and is listed for the office.
"""

import unicodedata
from collections import Counter

from lvzhi.org.models import Department

from .models import DepartmentAlias

MAX_LISTED = 200
_MISSING = object()


def name_key(text):
    """The matching key of a department name: NFKC-folded, without spaces, case-folded."""
    return "".join(unicodedata.normalize("NFKC", text or "").split()).casefold()


class DepartmentResolver:
    """Loaded once per import (hundreds of departments); ``resolve`` is one dictionary lookup."""

    def __init__(self):
        claims = {}
        for pk, code, name, short in Department._base_manager.values_list("pk", "code", "name", "short_name"):
            for text in (code, name, short):
                if text:
                    claims.setdefault(name_key(text), set()).add(pk)
        self.ambiguous = {key for key, ids in claims.items() if len(ids) > 1}
        self.ids = {key: next(iter(ids)) for key, ids in claims.items() if len(ids) == 1}
        # An alias the office chose wins over an ambiguous or missing name.
        for key, pk in DepartmentAlias._base_manager.values_list("key", "department_id"):
            self.ids[key] = pk
            self.ambiguous.discard(key)
        self.exact = {}  # raw text -> id, so repeated names skip the folding
        self.unmatched = Counter()

    def resolve(self, text):
        """The department id for ``text`` (None when blank or unmatched; unmatched names are counted)."""
        if not text:
            return None
        pk = self.exact.get(text, _MISSING)
        if pk is _MISSING:
            pk = self.exact[text] = self.ids.get(name_key(text))
        if pk is None and (text in self.unmatched or len(self.unmatched) < MAX_LISTED):
            self.unmatched[text] += 1
        return pk

    def unmatched_lines(self, committed=True):
        """The report line listing unmatched names; ``committed``: whether the import was written
        (a refused import saved nothing, so nothing was kept as text either)."""
        if not self.unmatched:
            return []
        names = [f"{name}（{n} 行{'，对应多个部门' if name_key(name) in self.ambiguous else ''}）"
                 for name, n in self.unmatched.most_common()]
        if committed:
            return [f"以下单位名称未匹配到部门，已按原文保存（可在“部门别名”中指定对应部门）：{'、'.join(names)}"]
        return [f"以下单位名称未匹配到部门（本次未写入；导入时将按原文保存，也可先在“部门别名”中指定对应部门）："
                f"{'、'.join(names)}"]
