import pytest

from lvzhi.core.jobs import execute, start_job
from lvzhi.core.models import Job
from lvzhi.org.models import Department


def make_departments(job, count):
    for i in range(count):
        Department.objects.create(code=f"J{i}", name=f"任务部门{i}")
        job.progress(i + 1, count)
    return {"lines": [f"新增 {count} 个部门"]}


def broken(job):
    raise ValueError("坏数据")


@pytest.mark.django_db(transaction=True)
def test_job_runs_through_the_task_backend_and_reports_progress(settings, staff_user):
    from auditlog.models import LogEntry

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    job = start_job(make_departments, kind="demo", title="测试任务", user=staff_user, params={"count": 3})
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.percent == 100
    assert job.report["lines"] == ["新增 3 个部门"]
    assert LogEntry.objects.filter(object_repr="任务部门0").get().cid.startswith(f"任务 demo #{job.pk}")


@pytest.mark.django_db
def test_failed_job_records_the_message():
    job = Job.objects.create(kind="demo", title="失败任务")
    with pytest.raises(ValueError):
        execute(job, broken)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "坏数据" in job.message


@pytest.mark.django_db
def test_progress_inside_a_transaction_is_visible_through_the_cache(staff_client, staff_user):
    from django.db import transaction
    from django.urls import reverse

    job = Job.objects.create(kind="demo", title="进度", created_by=staff_user)
    with transaction.atomic():
        job.progress(30, 120, "处理中")
    page = staff_client.get(reverse("core:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "25%" in page and "30 / 120" in page
