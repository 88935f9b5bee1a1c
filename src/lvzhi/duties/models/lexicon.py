"""The finder's colloquial → official lexicon as loaded by ``lvzhi load-library``."""

from django.db import models
from django.utils import timezone


class FinderLexicon(models.Model):
    """群众用语对照词库 (``kind: finder_lexicon``). A newly loaded version becomes current — except
    that the bundled file never displaces a lexicon the office loaded itself; loading a version
    again updates it in place. Without any row the finder uses the bundled file."""

    version = models.CharField("版本", max_length=40, unique=True)
    title = models.CharField("名称", max_length=200)
    data = models.JSONField("词库")
    entries = models.PositiveIntegerField("条目数", default=0)
    bundled = models.BooleanField("随软件提供", default=False)
    is_current = models.BooleanField("现行", default=False)
    loaded_at = models.DateTimeField("加载时间", default=timezone.now)

    class Meta:
        ordering = ["-is_current", "-loaded_at"]
        verbose_name = "职责查找词库"

    def __str__(self):
        return f"{self.title}（{self.version}）"

    @classmethod
    def current(cls):
        return cls.objects.filter(is_current=True).first()
