from django.core.management.base import BaseCommand

from public.demo import publish_demo_cases


class Command(BaseCommand):
    help = "Publish the demo's closed cases on the public site (idempotent)."

    def handle(self, *args, **options):
        count = publish_demo_cases()
        self.stdout.write(self.style.SUCCESS(f"公开网站 / public site: {count} 件演示案件已公布 / published"))
