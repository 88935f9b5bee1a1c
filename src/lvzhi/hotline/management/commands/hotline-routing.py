import json

from django.core.management.base import BaseCommand, CommandError

from ... import services


class Command(BaseCommand):
    help = "用历史工单的最终承办单位训练派单建议模型；--evaluate 按时间切分（前 80% 训练、后 20% 测试）报告 top-1/top-3。"

    def add_arguments(self, parser):
        parser.add_argument("--evaluate", action="store_true", help="按时间切分评估准确率（不替换现行模型）")
        parser.add_argument("--test", type=int, default=1000, help="评估时最多使用的测试工单数")
        parser.add_argument("--no-finder", action="store_true", help="评估时不使用职责查找")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出评估结果")

    def handle(self, *args, **o):
        if o["evaluate"]:
            result = services.evaluate(limit=o["test"], use_finder=not o["no_finder"])
            if result is None:
                raise CommandError("已办结且匹配到承办部门的历史工单不足 50 件，无法评估。")
            if o["json"]:
                self.stdout.write(json.dumps(result, ensure_ascii=False))
                return
            self.stdout.write(f"训练 {result['train']} 件（{result['cut'][:10]} 之前），测试 {result['test']} 件：")
            names = {"model": "历史模型", "finder": "职责查找", "combined": "综合"}
            for key, label in names.items():
                if key in result:
                    self.stdout.write(f"  {label}：top-1 {result[key]['top1']:.1%}，top-3 {result[key]['top3']:.1%}")
            return
        model = services.train_routing(None)
        if model is None:
            raise CommandError("已办结且匹配到承办部门的历史工单太少，无法训练。")
        self.stdout.write(f"派单建议模型已更新（样本 {model.samples} 件）。")
