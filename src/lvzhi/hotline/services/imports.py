"""Importing tickets and returns: uploads (as background jobs), files named on the command line,
and records pushed through the intake API. Each import is one ``ImportRun`` — the audit record of
the file; the rows themselves are written in bulk without per-row audit entries."""

import os
import tempfile

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from lvzhi.core.audit import origin
from lvzhi.core.jobs import start_job
from lvzhi.core.models import StoredFile

from ..importer import run as importer
from ..models import ImportRun
from .common import actor, require_hotline

UPLOAD_KIND = "hotline-import"


def _record(run, outcome):
    tickets, returns = outcome.tickets, outcome.returns
    run.status = ImportRun.Status.DONE if outcome.committed else ImportRun.Status.REFUSED
    run.committed = outcome.committed
    for prefix, report in (("tickets", tickets), ("returns", returns)):
        for count in ("created", "updated", "unchanged"):
            setattr(run, f"{prefix}_{count}", getattr(report, count) if report else 0)
    run.rejected = outcome.rejected
    run.seconds = round(outcome.seconds, 3)
    run.report = outcome.to_dict()
    run.finished_at = timezone.now()
    run.save()
    return run


def _import(run, tickets_path, returns_path, user, progress=None):
    tickets = importer.tickets_file(tickets_path, run.tickets_name) if tickets_path else None
    returns = importer.returns_file(returns_path, run.returns_name) if returns_path else None
    outcome = importer.import_hotline(tickets, returns, user=user, accept_good_rows=run.accept_good_rows,
                                      progress=progress)
    return _record(run, outcome), outcome


def import_paths(user, tickets_path=None, returns_path=None, *, accept_good_rows=False,
                 source=ImportRun.Source.COMMAND, progress=None):
    """Import files by path (``lvzhi import-tickets`` and the demo); returns ``(run, outcome)``."""
    require_hotline(user)
    if not tickets_path and not returns_path:
        raise ValueError("请至少指定工单文件或退单文件")
    run = ImportRun.objects.create(
        source=source, status=ImportRun.Status.RUNNING, accept_good_rows=accept_good_rows, created_by=actor(user),
        tickets_name=os.path.basename(tickets_path) if tickets_path else "",
        returns_name=os.path.basename(returns_path) if returns_path else "",
    )
    return _import(run, tickets_path, returns_path, user, progress)


def _store(upload, user, run):
    stored = StoredFile(name=upload.name, size=upload.size, sha256=StoredFile.digest(upload),
                        content_type=getattr(upload, "content_type", "") or "application/octet-stream",
                        uploaded_by=actor(user), owner_type=ContentType.objects.get_for_model(ImportRun),
                        owner_id=str(run.pk))
    stored.file.save(upload.name, upload, save=False)
    stored.save()
    return stored


def start_upload(user, tickets=None, returns=None, accept_good_rows=False):
    """Store the uploaded files and import them in the background; returns the ``ImportRun``."""
    require_hotline(user)
    with transaction.atomic():
        run = ImportRun.objects.create(
            source=ImportRun.Source.UPLOAD, accept_good_rows=accept_good_rows, created_by=actor(user),
            tickets_name=tickets.name if tickets else "", returns_name=returns.name if returns else "",
        )
        run.tickets_file = _store(tickets, user, run) if tickets else None
        run.returns_file = _store(returns, user, run) if returns else None
        run.job = _start(run, user)
        run.save()
    return run


def _start(run, user):
    names = "、".join(n for n in (run.tickets_name, run.returns_name) if n)
    suffix = "（仅导入正确的行）" if run.accept_good_rows else ""
    return start_job(run_upload, kind=UPLOAD_KIND, title=f"导入12345工单：{names}{suffix}", user=actor(user),
                     params={"run_id": run.pk})


def retry_good_rows(user, run):
    """Import the correct rows of a refused upload, as the user explicitly asked."""
    require_hotline(user)
    if not run.can_retry_good_rows:
        raise PermissionDenied("这次导入不能改为仅导入正确的行。")
    with transaction.atomic():
        retry = ImportRun.objects.create(
            source=run.source, accept_good_rows=True, created_by=actor(user), retry_of=run,
            tickets_name=run.tickets_name, returns_name=run.returns_name,
            tickets_file=run.tickets_file, returns_file=run.returns_file,
        )
        retry.job = _start(retry, user)
        retry.save()
    return retry


def _local_copy(stored, folder):
    """The stored upload as a local file (storage backends need not be local disks)."""
    path = os.path.join(folder, f"{stored.pk}-{os.path.basename(stored.name)}")
    with stored.file.open("rb") as src, open(path, "wb") as dst:
        for chunk in iter(lambda: src.read(1 << 20), b""):
            dst.write(chunk)
    return path


def run_upload(job, run_id):
    """The background job of an upload: import, then group new disputes and refresh routing."""
    from .disputes import group_disputes
    from .routing import train_routing

    run = ImportRun.objects.select_related("tickets_file", "returns_file", "created_by").get(pk=run_id)
    run.status = ImportRun.Status.RUNNING
    run.save(update_fields=["status"])
    job.progress(0, 100, "正在检查和写入……")

    def progress(stage, rows, fraction):
        job.progress(int((fraction or 0) * 100), 100, f"{stage}：已处理 {rows} 行")

    with tempfile.TemporaryDirectory() as folder:
        tickets = _local_copy(run.tickets_file, folder) if run.tickets_file_id else None
        returns = _local_copy(run.returns_file, folder) if run.returns_file_id else None
        run, outcome = _import(run, tickets, returns, run.created_by, progress)
    lines = outcome.lines()
    if outcome.committed and (run.returns_created or run.returns_updated):
        job.progress(100, 100, "正在归并退单争议事项……")
        found = group_disputes(None)
        lines.append(f"退单争议事项：新归入 {found['assigned']} 件工单，新增事项 {found['created']} 个。")
    if outcome.committed and run.tickets_created:
        train_routing(None)
    return {"lines": lines, "errors": outcome.file_errors, "run": run.pk}


def intake(user, tickets=(), returns=(), accept_good_rows=False):
    """Records pushed by the hotline platform (the intake API), checked exactly like file rows."""
    require_hotline(user, "推送工单")
    run = ImportRun.objects.create(source=ImportRun.Source.API, status=ImportRun.Status.RUNNING,
                                   accept_good_rows=accept_good_rows, created_by=actor(user),
                                   tickets_name=f"{len(tickets)} 条工单" if tickets else "",
                                   returns_name=f"{len(returns)} 条退单" if returns else "")
    with origin(f"接口 12345工单推送 #{run.pk}"):
        outcome = importer.import_hotline(
            importer.ticket_records(tickets) if tickets else None,
            importer.return_records(returns) if returns else None,
            user=user, accept_good_rows=accept_good_rows,
        )
    return _record(run, outcome), outcome

