import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from lvzhi.duties.finder.evaluate import evaluate, parse_questions
from lvzhi.duties.whose import service


class Command(BaseCommand):
    help = "这件事归谁管：根据三定规定、职责边界清单和权责清单给出负责部门及依据。"

    def add_arguments(self, parser):
        parser.add_argument("text", nargs="*", help="要查询的事项")
        parser.add_argument("--file", help="每行一条事项的文本文件（UTF-8）；与 --evaluate 一起时为带标注的问题表")
        parser.add_argument("--json", action="store_true", help="每条输入输出一行 JSON")
        parser.add_argument("--limit", type=int, default=3, help="每条列出几个部门（默认 3）")
        parser.add_argument(
            "--evaluate", action="store_true",
            help="测准确率：--file 为制表符分隔的 id、code、kind、text 四列（code 为应排第一的部门编码），"
                 "输出 top-1 / top-3 准确率",
        )
        parser.add_argument("--misses", action="store_true", help="与 --evaluate 一起：列出没有排第一的问题")

    def handle(self, *args, **o):
        if o["evaluate"]:
            return self.evaluate(o)
        if o["file"]:
            queries = [line.strip() for line in self.read(o["file"]).splitlines() if line.strip()]
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
        if not o["json"]:
            self.stdout.write(f"（词库版本 {service.lexicon_version()}）")

    def read(self, name):
        path = Path(name)
        try:
            return path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"无法读取文件 {path}（须为 UTF-8 文本）：{exc}")

    def evaluate(self, o):
        if not o["file"]:
            raise CommandError("--evaluate 需要用 --file 指定带标注的问题表（列 id、code、kind、text）。")
        index = service.current_index()
        questions, errors = parse_questions(self.read(o["file"]), index.departments)
        if errors:
            more = f"（另有 {len(errors) - 10} 处）" if len(errors) > 10 else ""
            raise CommandError(f"文件 {Path(o['file']).name} 有误{more}：\n" + "\n".join(errors[:10]))
        result = evaluate(index, questions)
        if o["json"]:
            out = {k: result[k] for k in ("n", "top1", "top3", "by_kind")}
            out["lexicon"] = index.lexicon.version
            out["misses"] = [dict(zip(("id", "expected", "top3", "text"), m)) for m in result["misses"]]
            self.stdout.write(json.dumps(out, ensure_ascii=False))
            return
        self.stdout.write(
            f"共 {result['n']} 题：top-1 {result['top1']:.1%}，top-3 {result['top3']:.1%}"
            f"（词库版本 {index.lexicon.version}）"
        )
        for kind, r in result["by_kind"].items():
            self.stdout.write(f"  {kind}：{r['n']} 题，top-1 {r['top1']:.1%}，top-3 {r['top3']:.1%}")
        if o["misses"]:
            for qid, expected, got, text in result["misses"]:
                self.stdout.write(f"  未排第一 {qid}：应为 {expected}，前三 {'、'.join(got) or '无'}｜{text}")
