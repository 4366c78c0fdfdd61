"""`manage.py annual_report 2025 --out 统计.docx` — the year's statistics (opinions.annual) as the Word report
(opinions.annual_report), or as the Excel workbook (opinions.annual_exports) when --out ends in .xlsx. The figures are
the whole office's, as of today in Asia/Shanghai."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from npc_tracker.errors import InvalidInput
from opinions import annual, annual_exports, annual_report
from opinions.selectors import today

FORMATS = (".docx", ".xlsx")


class Command(BaseCommand):
    help = "Write the year's statistics as Word or Excel (by --out's extension): annual_report 2025 --out FILE.docx"

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="the calendar year, e.g. 2025")
        parser.add_argument("--out", required=True, help="the file to write: .docx (Word) or .xlsx (Excel)")

    def handle(self, *args, year, out, **options):
        suffix = Path(out).suffix.lower()
        if suffix not in FORMATS:
            raise CommandError(f"--out 须以 .docx 或 .xlsx 结尾：{out} / --out must end in .docx or .xlsx")
        now = today()
        try:
            annual.check_year(year, now)
        except InvalidInput:
            raise CommandError(f"没有 {year} 年的统计：年度须在 {annual.FIRST_YEAR} 至 {now.year + 1} 之间 / "
                               f"no statistics for {year}: choose a year from {annual.FIRST_YEAR} to {now.year + 1}"
                               ) from None
        with translation.override(settings.LANGUAGE_CODE):
            if suffix == ".docx":
                document = annual_report.build(year, today=now)
            else:
                document = annual_exports.workbook(annual.figures(year, now))
        try:
            with document, open(out, "wb") as target:
                target.write(document.read())
        except OSError as exc:
            raise CommandError(f"无法写入 {out}：{exc.strerror} / cannot write {out}") from exc
        self.stdout.write(f"已写入 {out}：{annual_report.report_title(year)}")
