from django.core.management.base import BaseCommand
from django.utils import timezone

from opinions.demo.loader import DEMO_PASSWORD, DemoLoader


class Command(BaseCommand):
    help = "Load the Anyang demo data (idempotent) and print the demo accounts."

    def handle(self, *args, **options):
        loader = DemoLoader(today=timezone.localdate())
        result = loader.load()
        self.stdout.write(self.style.SUCCESS(
            f"演示数据已就绪 / demo data ready: {result['cases_created']} new cases; "
            f"2024 meetings shifted by {result['offset_days'] // 7} weeks"))
        self.stdout.write(f"演示账号（密码均为 / password for all: {DEMO_PASSWORD}）:")
        for username, account in sorted(loader.users.items()):
            self.stdout.write(f"  {username:<24} {account.first_name}")
