from django.core.management.base import BaseCommand, CommandError

from lvzhi.core import libraries
from lvzhi.core.audit import origin


class Command(BaseCommand):
    help = "加载参考库（问题分类、评估表、评星规则、词库等 YAML 文件）。不指定文件时加载全部内置库。"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="库文件路径")

    def handle(self, *args, **options):
        try:
            with origin("命令 load-library"):
                for line in libraries.load(options["files"] or None):
                    self.stdout.write(line)
        except libraries.LibraryError as exc:
            raise CommandError(str(exc))
