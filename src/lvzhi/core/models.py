"""Shared models: the domain base class, notifications, background jobs and stored files."""

import hashlib
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, models, transaction
from django.utils import timezone

from .scoping import VIEW, ScopedQuerySet, filter_by_paths


class ConcurrencyError(Exception):
    """Somebody else saved the record after it was loaded for editing."""

    def __init__(self, current):
        self.current = current
        super().__init__("该记录已被他人修改")


class Model(models.Model):
    """Base of every domain record: timestamps, author, optimistic version, audit, scoping.

    ``scope`` names the path(s) from the model to ``org.Department`` ("self" for Department
    itself). A model with another rule overrides ``scope_filter``.
    """

    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    objects = ScopedQuerySet.as_manager()

    scope: str | tuple = ()
    # What a department user may do with rows of its own departments.
    department_actions = frozenset({VIEW})
    # Whether leaders (read-only) see every row.
    leader_sees_all = True

    class Meta:
        abstract = True

    @classmethod
    def scope_paths(cls):
        return (cls.scope,) if isinstance(cls.scope, str) else tuple(cls.scope)

    @classmethod
    def scope_filter(cls, qs, scope, action):
        if scope.is_office:
            return qs
        if scope.is_leader and action == VIEW and cls.leader_sees_all:
            return qs
        parts = []
        if scope.department_ids and cls.scope_paths() and action in cls.department_actions:
            parts.append(filter_by_paths(qs, cls.scope_paths(), scope.department_ids))
        extra = cls.scope_extra(qs, scope, action)
        if extra is not None:
            parts.append(extra)
        if not parts:
            return qs.none()
        result = parts[0]
        for part in parts[1:]:
            result = result | part
        return result

    @classmethod
    def scope_extra(cls, qs, scope, action):
        """Rows visible to roles other than office/leader/department (oversight, hotline)."""
        return None

    @classmethod
    def attachments_visible_to(cls, user):
        """Records whose attached files ``user`` may download: by default, those it may view."""
        return cls.objects.visible_to(user)

    def save_versioned(self, expected_version, **kwargs):
        """Save only if nobody saved since ``expected_version`` was read; raise ConcurrencyError."""
        with transaction.atomic():
            current = type(self)._base_manager.select_for_update().get(pk=self.pk)
            if current.version != int(expected_version):
                raise ConcurrencyError(current)
            self.version = current.version + 1
            self.save(**kwargs)


class LibraryVersion(models.Model):
    """One loaded version of a reference library (a versioned YAML file, ``lvzhi load-library``):
    its version, title, whether it is the current one, and when it was loaded."""

    version = models.CharField("版本", max_length=40, unique=True)
    title = models.CharField("名称", max_length=200)
    is_current = models.BooleanField("现行", default=False)
    loaded_at = models.DateTimeField("加载时间", default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-is_current", "-loaded_at"]

    def __str__(self):
        return f"{self.title}（{self.version}）"

    @classmethod
    def current(cls):
        return cls.objects.filter(is_current=True).first()


class Notification(models.Model):
    """站内消息: an in-app message to one user (also e-mailed when e-mail is configured)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name="接收人"
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=500, blank=True)
    kind = models.CharField("类别", max_length=40, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        verbose_name = "站内消息"

    def __str__(self):
        return self.title


def upload_path(instance, filename):
    return f"files/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class StoredFile(models.Model):
    """An uploaded file kept outside the web root; served only by a permission-checked view.

    ``owner`` is the record it belongs to: whoever may view the owner may download the file.
    """

    file = models.FileField(upload_to=upload_path, max_length=300)
    name = models.CharField("文件名", max_length=255)
    size = models.PositiveBigIntegerField("大小")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    content_type = models.CharField("类型", max_length=100)
    owner_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    owner_id = models.CharField(max_length=64, blank=True)
    owner = GenericForeignKey("owner_type", "owner_id")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["owner_type", "owner_id"])]
        verbose_name = "附件"

    def __str__(self):
        return self.name

    def owner_visible_to(self, user):
        if self.owner_type_id is None:
            return self.uploaded_by_id == getattr(user, "pk", None)
        model = self.owner_type.model_class()
        if hasattr(model, "attachments_visible_to"):
            return model.attachments_visible_to(user).filter(pk=self.owner_id).exists()
        manager = getattr(model, "objects")
        if hasattr(manager, "visible_to"):
            return manager.visible_to(user).filter(pk=self.owner_id).exists()
        return False

    @staticmethod
    def digest(fileobj):
        h = hashlib.sha256()
        for chunk in iter(lambda: fileobj.read(1 << 20), b""):
            h.update(chunk)
        fileobj.seek(0)
        return h.hexdigest()


class Job(models.Model):
    """A long piece of work (import, index rebuild, report) with progress shown in page and CLI."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("类别", max_length=60)
    title = models.CharField("名称", max_length=200)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    report = models.JSONField(default=dict, blank=True)
    params = models.JSONField(default=dict, blank=True)
    input_file = models.ForeignKey(StoredFile, null=True, blank=True, on_delete=models.SET_NULL)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "后台任务"

    def __str__(self):
        return self.title

    def live(self):
        """Progress as last reported, even while the job's own transaction is still open."""
        if self.status in (self.Status.QUEUED, self.Status.RUNNING):
            state = cache.get(self.cache_key)
            if state:
                for key, value in state.items():
                    setattr(self, key, value)
        return self

    @property
    def cache_key(self):
        return f"lvzhi:job:{self.pk}"

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        return min(100, int(self.done * 100 / self.total)) if self.total else 0

    def progress(self, done, total=None, message=None):
        """Report progress. Work inside a transaction is invisible to other connections, so the
        figures also go to the shared cache, which the progress page reads first."""
        self.done = done
        self.status = self.Status.RUNNING
        if total is not None:
            self.total = total
        if message is not None:
            self.message = message
        cache.set(
            self.cache_key,
            {"done": self.done, "total": self.total, "message": self.message, "status": self.status},
            timeout=24 * 3600,
        )
        if not connection.in_atomic_block:
            Job.objects.filter(pk=self.pk).update(
                done=self.done, total=self.total, message=self.message, status=self.status
            )
