"""Indicators from the 三定 execution checks (duties app): coverage and fulfilment.

What has to be checked is each duty of the department's current mandate, or, where a duty is
broken into tasks, each of its active tasks (the same targets as the check sheet). Registered only
when ``lvzhi.duties`` is installed; models are imported inside the functions. As with the problem
indicators, these read one department's own records for the office's scoring.
"""

from django.db.models import Count

from . import percent
from ..models import plain

LISTED = 10


def _targets(department):
    from lvzhi.duties.models import DutyTask
    from lvzhi.org.models import MandateDuty

    duties = list(MandateDuty.objects.filter(mandate__department=department, mandate__is_current=True)
                  .values_list("pk", "number").order_by("number"))
    tasks = {}
    for task_id, duty_id in DutyTask.objects.filter(duty__in=[d for d, _ in duties], active=True).values_list(
            "pk", "duty_id"):
        tasks.setdefault(duty_id, []).append(task_id)
    targets = []
    for duty_id, number in duties:
        targets += [(duty_id, t, number) for t in tasks.get(duty_id, [])] or [(duty_id, None, number)]
    return duties, targets


def _checks(department, period):
    from lvzhi.duties.models import MandateCheck

    return MandateCheck.objects.filter(department=department, period__in=period.check_codes())


def duty_check_coverage(department, period):
    from lvzhi.duties.models import MandateCheck

    if not MandateCheck.objects.filter(period__in=period.check_codes()).exists():
        return None  # the office ran no 三定 checks in this period
    duties, targets = _targets(department)
    if not targets:
        return None
    reported = set(_checks(department, period).exclude(status=MandateCheck.Status.DRAFT)
                   .values_list("duty_id", "task_id"))
    covered = [t for t in targets if (t[0], t[1]) in reported]
    missing = sorted({number for duty_id, task_id, number in targets if (duty_id, task_id) not in reported})
    rate = percent(len(covered), len(targets))
    split = sum(1 for duty_id, _ in duties if any(t[0] == duty_id and t[1] for t in targets))
    lines = [
        ["应检查项", f"{len(targets)} 项（现行三定主要职责 {len(duties)} 项，其中 {split} 项按职责任务计）"],
        ["已报送检查", f"{len(covered)} 项"],
        ["覆盖率", f"{len(covered)} ÷ {len(targets)} = {plain(rate)}%"],
    ]
    if missing:
        more = f" 等 {len(missing)} 项" if len(missing) > LISTED else ""
        lines.append(["有未报送检查项的主要职责", "、".join(f"第{n}项" for n in missing[:LISTED]) + more])
    return rate, lines


def duty_check_fulfilment(department, period):
    from lvzhi.duties.models import MandateCheck

    R = MandateCheck.Result
    accepted = dict(_checks(department, period).filter(status=MandateCheck.Status.ACCEPTED)
                    .values_list("result").annotate(n=Count("pk"))
                    .order_by())
    applicable = sum(n for result, n in accepted.items() if result != R.NOT_APPLICABLE)
    if not applicable:
        return None
    fulfilled = accepted.get(R.FULFILLED, 0)
    rate = percent(fulfilled, applicable)
    labels = dict(R.choices)
    return rate, [
        ["经编办审核的检查", "，".join(f"{labels[r]} {accepted.get(r, 0)} 项" for r in R.values)],
        ["到位率（不计“不适用”）", f"{fulfilled} ÷ {applicable} = {plain(rate)}%"],
    ]


PROVIDERS = {
    "duty_check_coverage": duty_check_coverage,
    "duty_check_fulfilment": duty_check_fulfilment,
}
