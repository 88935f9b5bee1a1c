"""Department names as the hotline writes them: codes, names, short names and aliases match; the
rest are listed, saying truthfully whether they were kept."""

import pytest

from lvzhi.testing import make_department

from ..resolver import DepartmentResolver


@pytest.fixture
def resolver(db):
    make_department("CGJ", "示范市城市管理局", short_name="市城管局")
    return DepartmentResolver()


def test_names_match_by_code_name_and_short_name_ignoring_width_and_spaces(resolver):
    ids = {resolver.resolve(text) for text in ("CGJ", "ｃｇｊ", "示范市城市管理局", " 市城管局 ")}
    assert len(ids) == 1 and None not in ids
    assert resolver.resolve("东城区综合执法中队") is None


def test_unmatched_names_are_kept_as_text_only_when_the_import_was_written(resolver):
    for _ in range(3):
        resolver.resolve("东城区综合执法中队")
    written = resolver.unmatched_lines(committed=True)
    assert written == ["以下单位名称未匹配到部门，已按原文保存（可在“部门别名”中指定对应部门）：东城区综合执法中队（3 行）"]
    refused = resolver.unmatched_lines(committed=False)[0]
    assert "已按原文保存" not in refused and "本次未写入" in refused and "东城区综合执法中队（3 行）" in refused
