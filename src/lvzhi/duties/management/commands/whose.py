import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from lvzhi.duties.whose import service


class Command(BaseCommand):
    help = "这件事归谁管：根据三定规定、职责边界清单和权责清单给出负责部门及依据。"

    def add_arguments(self, parser):
        parser.add_argument("text", nargs="*", help="要查询的事项")
        parser.add_argument("--file", help="每行一条事项的文本文件（UTF-8）")
        parser.add_argument("--json", action="store_true", help="每条输入输出一行 JSON")
        parser.add_argument("--limit", type=int, default=3, help="每条列出几个部门（默认 3）")

    def handle(self, *args, **o):
        if o["file"]:
            path = Path(o["file"])
            try:
                lines = path.read_text(encoding="utf-8-sig").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"无法读取文件 {path}（须为 UTF-8 文本，每行一条）：{exc}")
            queries = [line.strip() for line in lines if line.strip()]
        else:
            queries = [" ".join(o["text"]).strip()] if o["text"] else []
        if not queries:
            raise CommandError("请给出要查询的事项，或用 --file 指定文件。")
        service.current_index()
        for query in tqdm(queries, unit="条", disable=len(queries) < 50 or not sys.stderr.isatty()):
            answer = service.search(query, o["limit"])
            if o["json"]:
                self.stdout.write(json.dumps(answer, ensure_ascii=False))
                continue
            self.stdout.write(f"问：{query}")
            if not answer["results"]:
                self.stdout.write("  没有找到相关的职责依据。")
            for i, r in enumerate(answer["results"], 1):
                self.stdout.write(f"  {i}. {r['name']}（{r['department']}） 相关度 {r['score']:.2f}")
                if r.get("lead"):
                    support = "、".join(r.get("support") or []) or "无"
                    self.stdout.write(f"     牵头：{r['lead']}  配合：{support}")
                for e in r["evidence"]:
                    self.stdout.write(f"     - {e['ref']}：{e['text'][:80]}")
