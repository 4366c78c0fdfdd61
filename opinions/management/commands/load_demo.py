from django.core.management.base import BaseCommand
from django.utils import timezone

from opinions.demo.loader import DEMO_PASSWORD, DemoLoader
from opinions.rules import provisional_calendar_years


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
        for year in provisional_calendar_years():
            # The dates the demo counted on such a year say 暂定; this is how a real office replaces them.
            self.stdout.write(
                f"{year} 年工作日历为暂定（仅周末）：据此计算的期限均标注“暂定”。国务院公布节假日安排后，用 "
                f"`manage.py calendar_year {year} --rest 日期..日期:名称 --work 日期:调休上班` 录入正式日历，"
                f"期限自动重算并通知承办单位。")
