"""Text helpers for the finder: normalisation, sentence splitting, stop words, bigrams.

Pure Python; no Django. Everything here is language-generic for Chinese administrative text and
citizens' questions, not tuned to any one city's data.
"""

from __future__ import annotations

import re
import unicodedata

_SPACE_RE = re.compile(r"\s+")
# Sentence ends: 。；！？ and their ASCII forms plus line breaks.
_SENT_RE = re.compile(r"[。；;！!？?\n]+")
_CLAUSE_RE = re.compile(r"[，,：:。；;！!？?\n]+")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_WORDCHAR_RE = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_ALNUM_RE = re.compile(r"^[A-Za-z0-9.]+$")


def normalize(text: str | None) -> str:
    """NFKC (full-width → half-width), lower-case ASCII, collapse white space."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text)).lower()
    return _SPACE_RE.sub("", text)


_FW_ALNUM = {c: c - 0xFEE0 for c in list(range(0xFF10, 0xFF1A)) + list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B))}


def clean(text: str | None) -> str:
    """Display form: white space removed, full-width letters/digits made ASCII, CJK punctuation kept."""
    if not text:
        return ""
    return _SPACE_RE.sub("", str(text)).translate(_FW_ALNUM)


def split_sentences(text: str) -> list[str]:
    return [s for s in (p.strip() for p in _SENT_RE.split(text or "")) if s]


def split_clauses(sentence: str) -> list[str]:
    return [s for s in (p.strip() for p in _CLAUSE_RE.split(sentence or "")) if s]


def has_cjk(text: str) -> bool:
    return bool(_CJK_RE.search(text or ""))


def is_wordlike(token: str) -> bool:
    return bool(_WORDCHAR_RE.search(token))


# Function words and question scaffolding. They carry no information about *which* department is
# responsible, on either side (question or mandate text). Kept short and general on purpose.
STOP_WORDS = frozenset(
    """
    的 了 着 过 吗 呢 吧 啊 呀 哦 嘛 么 哈 啦 喔 噢 哇 诶 欸 嗯
    我 我们 我家 俺 咱 咱们 你 你们 您 他 她 它 他们 她们 它们 大家 自己 人家 别人 有人 有个 有些
    这 那 这个 那个 这些 那些 这里 那里 这边 那边 这种 那种 这样 那样 这么 那么 其 其他 其中 之 之类
    是 在 有 没 没有 不 也 都 就 还 又 再 才 很 太 更 最 挺 非常 特别 一直 已经 总是 老是 经常 一些 一点
    和 与 及 以及 或 或者 并 并且 而 而且 但 但是 可是 因为 所以 如果 如 于 对 对于 向 从 把 被 让 给 跟 同 由 为 按 按照 等 等等
    想 想要 要 能 能不能 可以 可不可以 会 应该 需要 得 该
    请问 问 问问 问一下 一下 咨询 想问 想知道 了解 知道 请 麻烦 帮忙 帮 帮我 希望 建议 要求
    怎么 怎么办 怎样 如何 为什么 为啥 什么 啥 哪 哪里 哪儿 哪个 哪些 哪家 谁 多少 几 是否 是不是 有没有
    部门 单位 哪个部门 什么部门 谁管 归谁 归谁管 管 归 找 找谁 去 到 来 办法 情况 问题 事情 事 事儿
    投诉 举报 反映 反应 处理 解决 查处 负责 负责人 相关 有关 政府 政府部门 市里 市
    今天 昨天 现在 最近 目前 之前 以前 以后 后来 然后 马上 一个 一家 一位 一次 两次 几次 好几 好几个 好多
    申请 申报 办理 办 手续 材料 条件 流程 需要 提出 提供 带
    管理 监督 监督管理 行为 活动 制度 政策 措施 有关部门 相关部门
    全市 本市 组织 实施 承担 指导 工作 开展 推进 建立 健全 加强 落实 贯彻 执行 做好 完成 依法 按规定 规定 职责
    任何 直接 好像 感觉 怀疑 突然 天天 每天 整天 整夜 一整天 一整夜 半天 可能 估计 听说 据说 发现 看到 看见
    东西 很多 不少 原因 结果 说明 时候 地方 样子 一样 一起 一定 肯定 到底 究竟 根本 其实
    """.split()
)

# Marks a dictionary sub-word of a longer word in the analyser's output ("\x01监管" inside "市场监管").
SUBWORD_MARK = "\x01"

# Characters that are never content on their own (used when deciding runs for bigrams).
STOP_CHARS = frozenset("的了着过吗呢吧啊呀哦嘛么哈啦喔噢哇诶欸嗯")


def char_bigrams(runs: list[str]) -> list[str]:
    """Character bigrams inside each run of adjacent content text."""
    out: list[str] = []
    for run in runs:
        for i in range(len(run) - 1):
            out.append(run[i : i + 2])
    return out


# What a duty text names only to exclude it: "进入批发市场、农贸市场…之前的质量安全" (the markets
# belong to another department), "河道管理范围以外的砂石土开采", "除…外", "不含…"
_EXCLUDED_RES = (
    re.compile(r"进入([^，,。；;]{2,40}?)(?:之)?前"),
    re.compile(r"(?:^|[，,；;、：:（(])除([^，,。；;]{2,30}?)(?:以|之)?外"),
    re.compile(r"([^，,。；;、]{2,20}?)(?:以外|之外)的"),
    re.compile(r"不(?:含|包括)([^，,。；;）)]{2,30})"),
)


def excluded_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of ``text`` that a duty names only to exclude them."""
    return sorted(m.span(1) for rx in _EXCLUDED_RES for m in rx.finditer(text))
