"""Background jobs: a django-tasks task that runs one function against a ``Job`` row, so the page
(``core:job``) and the CLI can show progress and the audit log attributes writes to the task."""

import importlib
import logging

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .audit import origin
from .models import Job

log = logging.getLogger(__name__)


def start_job(func, *, kind, title, user=None, params=None, input_file=None):
    """Create a Job and enqueue ``func(job, **params)`` (a module-level function) for the worker.

    ``params`` must be JSON-serialisable. The job starts after the surrounding transaction commits.
    """
    job = Job.objects.create(kind=kind, title=title, created_by=user, params=params or {}, input_file=input_file)
    path = f"{func.__module__}:{func.__qualname__}"
    transaction.on_commit(lambda: run_job.enqueue(job.pk, path))
    return job


def execute(job, func):
    """Run ``func`` for ``job`` in this process (used by the worker task and by CLI commands)."""
    job.status = Job.Status.RUNNING
    job.save(update_fields=["status"])
    try:
        with origin(f"任务 {job.kind} #{job.pk}"):
            report = func(job, **job.params)
    except Exception as exc:
        log.exception("job %s failed", job.pk)
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, message=f"任务失败：{exc}", finished_at=timezone.now()
        )
        cache.delete(job.cache_key)
        raise
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.DONE, report=report or {}, finished_at=timezone.now(), done=job.done, total=job.total
    )
    cache.delete(job.cache_key)
    job.refresh_from_db()
    return job


@task()
def run_job(job_id, path):
    module, _, name = path.partition(":")
    func = getattr(importlib.import_module(module), name)
    execute(Job.objects.get(pk=job_id), func)
