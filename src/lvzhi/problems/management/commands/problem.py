"""``lvzhi problem``: list problems or take a loop action from the command line, as a named user."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError

from lvzhi.core.audit import origin
from lvzhi.problems import services, states
from lvzhi.problems.forms import ActionForm
from lvzhi.problems.models import Problem


class Command(BaseCommand):
    help = ("问题闭环操作。列出：lvzhi problem list --user 用户名；执行：lvzhi problem 操作 问题编号 --user 用户名 "
            f"[--note 说明] [--days N] [--file 附件]。操作：{'、'.join(states.ACTIONS)}")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=("list", *states.ACTIONS))
        parser.add_argument("problem", nargs="?", help="问题编号（如 WT2026-00001）或 id")
        parser.add_argument("--user", required=True, help="以该用户的身份和权限执行")
        parser.add_argument("--note", default="")
        parser.add_argument("--days", type=int)
        parser.add_argument("--doc-no", default="")
        parser.add_argument("--file", action="append", default=[], help="附件路径，可重复")

    def handle(self, *args, **o):
        user = get_user_model().objects.filter(username=o["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"没有用户 {o['user']}")
        visible = Problem.objects.visible_to(user).select_related("department")
        if o["action"] == "list":
            for p in visible.order_by("-found_on", "-pk")[:500]:
                deadline = f" 期限 {p.deadline}" if p.deadline else ""
                self.stdout.write(f"{p.number}\t{p.get_state_display()}\t{p.department.label}\t{p.title}{deadline}")
            return
        key = o["problem"] or ""
        problem = visible.filter(number=key).first() or (visible.filter(pk=key).first() if key.isdigit() else None)
        if problem is None:
            raise CommandError(f"没有您可查看的问题 {key}")
        files = {"files": [self._upload(path) for path in o["file"]]} if o["file"] else None
        data = {"note": o["note"], "days": o["days"], "doc_no": o["doc_no"]}
        form = ActionForm.for_action(o["action"], problem.state, {k: v for k, v in data.items() if v}, files)
        if form is None:
            raise CommandError(f"问题当前处于“{problem.get_state_display()}”状态，不能“{states.ACTION_LABELS[o['action']]}”。")
        if not form.is_valid():
            raise CommandError("；".join(
                f"{form.fields[k].label if k in form.fields else k}（--{k.replace('_', '-')}）：{'，'.join(v)}"
                for k, v in form.errors.items()))
        try:
            with origin("命令 problem"):
                event = services.perform(problem, o["action"], by=user, **form.params())
        except (PermissionDenied, services.TransitionError) as exc:
            raise CommandError(exc.messages[0] if hasattr(exc, "messages") else str(exc))
        problem.refresh_from_db()
        self.stdout.write(f"{problem.number}：{event.label}，当前状态 {problem.get_state_display()}"
                          + (f"，整改期限 {problem.deadline}" if problem.deadline else ""))

    def _upload(self, path):
        path = Path(path)
        if not path.is_file():
            raise CommandError(f"找不到文件 {path}")
        return SimpleUploadedFile(path.name, path.read_bytes())
