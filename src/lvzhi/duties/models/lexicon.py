"""The finder's colloquial → official lexicon as loaded by ``lvzhi load-library``."""

from django.db import models

from lvzhi.core.models import LibraryVersion


class FinderLexicon(LibraryVersion):
    """群众用语对照词库 (``kind: finder_lexicon``). A newly loaded version becomes current — except
    that the bundled file never displaces a lexicon the office loaded itself; loading a version
    again updates it in place. Without any row the finder uses the bundled file."""

    data = models.JSONField("词库")
    entries = models.PositiveIntegerField("条目数", default=0)
    bundled = models.BooleanField("随软件提供", default=False)

    class Meta(LibraryVersion.Meta):
        verbose_name = "职责查找词库"
