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
