"""The audit office's problem list as a spreadsheet, for the tests of the audit ledger (issue 15)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

HEADER = ["问题编号", "审计年度", "问题领域", "问题类型", "责任单位", "问题概要", "问题描述", "涉及金额（万元）",
          "整改类型"]


def xlsx(rows, header=HEADER, title=None) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile("审计查出问题清单.xlsx", output.getvalue())


def row(reference, *, year=2023, area="预算执行", kind="未及时上缴非税收入", unit="安阳市财政局",
        heading="非税收入未及时上缴", amount=100, how="立行立改"):
    return [reference, year, area, kind, unit, heading, "审计发现……", amount, how]
