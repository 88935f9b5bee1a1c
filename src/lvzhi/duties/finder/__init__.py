"""职责查找 finder engine: "whose job is this" (这件事归谁管？). Pure Python, no Django."""

from .docs import Doc, docs_from_org, org_department_meta, township_places
from .engine import Evidence, FinderIndex, FinderParams, Result, jieba_load_seconds, level_priors
from .lexicon import DEFAULT_LEXICON, Lexicon

__all__ = [
    "DEFAULT_LEXICON",
    "Doc",
    "Evidence",
    "FinderIndex",
    "FinderParams",
    "Lexicon",
    "Result",
    "docs_from_org",
    "jieba_load_seconds",
    "level_priors",
    "org_department_meta",
    "township_places",
]
