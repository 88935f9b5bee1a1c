"""The finder's lexicon as a reference library (``kind: finder_lexicon``, ``lvzhi load-library``).

An office replaces or extends the bundled lexicon by loading its own file under a new version;
the finder index is rebuilt on its next search (the model is watched by ``service``).
"""

from pathlib import Path

from django.db import transaction

from lvzhi.core.libraries import LibraryError
from lvzhi.duties.finder.lexicon import Lexicon, LexiconError

from ..models import FinderLexicon


def parse(data, path):
    """The lexicon in a library document; LibraryError naming the file and the bad entry."""
    try:
        lexicon = Lexicon.from_data(data)
    except LexiconError as exc:
        raise LibraryError(f"文件 {Path(path).name}：{exc}") from None
    if not lexicon.entries:
        raise LibraryError(f"文件 {Path(path).name}：词库没有任何条目（domains[].entries 或 entries）")
    return lexicon


def load_lexicon(data, path, user=None):
    """Library loader: store the lexicon; a version not seen before becomes the current one."""
    lexicon = parse(data, path)
    version = str(data["version"]).strip()
    defaults = {"title": data.get("title") or "职责查找词库", "data": data, "entries": len(lexicon.entries)}
    with transaction.atomic():
        row, created = FinderLexicon.objects.get_or_create(version=version, defaults=defaults)
        if created:
            FinderLexicon.objects.exclude(pk=row.pk).filter(is_current=True).update(is_current=False)
            row.is_current = True
        else:
            for name, value in defaults.items():
                setattr(row, name, value)
        row.save()
    state = "新版本，已设为现行" if created else ("已更新，现行" if row.is_current else "已更新，非现行")
    return f"职责查找词库 {version}（{len(lexicon.domains)} 个领域、{len(lexicon.entries)} 条，{state}）"
