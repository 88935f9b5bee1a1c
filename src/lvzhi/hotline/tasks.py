"""Background tasks (django-tasks). Uploads run through ``lvzhi.core.jobs`` (progress in the
page); ``refresh`` is the nightly follow-up for tickets pushed through the intake API: group the
new returns into dispute subjects and retrain the routing model."""

from django_tasks import task

from lvzhi.core.audit import origin

from . import services


@task()
def refresh():
    with origin("任务 hotline refresh"):
        found = services.group_disputes(None)
        model, trained = services.refresh_routing(None)
    return {"assigned": found["assigned"], "created": found["created"], "retrained": trained,
            "samples": model.samples if model else 0}


def daily_disputes():
    """Returns pushed through the intake API since yesterday join their dispute subjects (file
    imports do it at once)."""
    with origin("定时任务 归并12345退单争议事项"):
        found = services.group_disputes(None)
    return f"新归入工单 {found['assigned']} 件，新增事项 {found['created']} 个，现有事项 {found['subjects']} 个"


def daily_routing():
    with origin("定时任务 更新派单建议模型"):
        model, trained = services.refresh_routing(None)
    if model is None:
        return "已办结且匹配到承办部门的历史工单太少，未训练"
    return f"已重新训练，样本 {model.samples} 件" if trained else "训练后工单无变化，沿用现行模型"
