from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token

from lvzhi.accounts.models import User


class Command(BaseCommand):
    help = "打印用户的 API 令牌（不存在时创建）。用法：lvzhi token USERNAME [--reset]"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reset", action="store_true", help="作废旧令牌并生成新令牌")

    def handle(self, *args, **o):
        user = User.objects.filter(username=o["username"]).first()
        if user is None:
            raise CommandError(f"用户“{o['username']}”不存在。")
        if o["reset"]:
            Token.objects.filter(user=user).delete()
        token, _ = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
