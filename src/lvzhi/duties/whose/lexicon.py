"""The finder's lexicon as a reference library (``kind: finder_lexicon``, ``lvzhi load-library``).

An office replaces or extends the bundled lexicon by loading its own file under a new version;
the finder index is rebuilt on its next search (the model is watched by ``service``).
"""

from pathlib import Path

from django.db import transaction

from lvzhi.core.libraries import LibraryError, library_path
from lvzhi.duties.finder.lexicon import Lexicon, LexiconError

from ..models import FinderLexicon

BUNDLED = library_path("finder_lexicon.yaml")


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
    """Library loader: store the lexicon; a version not seen before becomes the current one unless
    it is the bundled file and the office runs a lexicon of its own (``lvzhi load-library`` with no
    argument reloads every bundled library, and must not undo the office's choice)."""
    lexicon = parse(data, path)
    version = str(data["version"]).strip()
    bundled = Path(path).resolve() == BUNDLED.resolve()
    defaults = {"title": data.get("title") or "职责查找词库", "data": data, "entries": len(lexicon.entries),
                "bundled": bundled}
    with transaction.atomic():
        row, created = FinderLexicon.objects.select_for_update().get_or_create(version=version, defaults=defaults)
        if created:
            current = FinderLexicon.objects.filter(is_current=True).exclude(pk=row.pk).first()
            if current is None or not bundled or current.bundled:
                FinderLexicon.objects.exclude(pk=row.pk).filter(is_current=True).update(is_current=False)
                row.is_current = True
        else:
            for name, value in defaults.items():
                setattr(row, name, value)
        row.save()
    if created:
        state = "新版本，已设为现行" if row.is_current else f"新版本，未设为现行（现行的是编办载入的 {current.version}）"
    else:
        state = "已更新，现行" if row.is_current else "已更新，非现行"
    domains = len({e.domain for e in lexicon.entries})
    return f"职责查找词库 {version}（{domains} 个领域、{len(lexicon.entries)} 条，{state}）"
