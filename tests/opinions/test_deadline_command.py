"""`manage.py deadline` as staff use it: the date on the first line, the provenance after, non-zero on failure."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.mark.parametrize(("rule", "anchor", "due"), [
    ("months:3", "2020-08-31", "2020-11-30"),
    ("months:3", "2023-11-30", "2024-02-29"),
    ("days:10", "2020-08-31", "2020-09-10"),
    ("workdays:10", "2026-09-28", "2026-10-16"),
    ("date:2024-12-31", "2024-08-27", "2024-12-31"),
    ("year_end", "2024-08-27", "2024-12-31"),
    ("months:3", "2020-09-05", "2020-12-07"),
])
def test_the_first_line_is_the_due_date(rule, anchor, due):
    assert run(rule, anchor)[0] == due


def test_the_second_line_explains_the_roll_forward():
    assert run("months:3", "2020-09-05")[1] == "三个月，自签收日 2020-09-05 起 → 2020-12-05 周六 → 顺延至 2020-12-07"
    assert run("months:3", "2020-09-05", "--lang", "en")[1].startswith("3 months from receipt date 2020-09-05")


def test_roll_forward_can_be_switched_off():
    assert run("months:3", "2020-09-05", "--no-roll-forward")[0] == "2020-12-05"


def test_next_session_takes_the_date_given():
    assert run("next_session", "2024-09-02", "--next-session", "2024-10-29")[0] == "2024-10-29"


@pytest.mark.parametrize(("args", "message"), [
    (("months:3", "2026-11-23"), "2027"),
    (("weeks:3", "2020-01-01"), "weeks"),
    (("months:3", "2020-13-01"), "2020-13-01"),
    (("next_session", "2099-01-01"), "下一次常委会会议"),
])
def test_it_refuses_clearly_when_it_cannot_compute(args, message):
    with pytest.raises(CommandError) as exc:
        run(*args)
    assert message in str(exc.value)


def test_from_the_shell_a_refusal_exits_non_zero_with_the_message(tmp_path):
    db = tmp_path / "cli.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{db}", "PATH": "/usr/bin:/bin"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    ok = subprocess.run([*manage, "deadline", "workdays:10", "2026-09-28"], env=env, cwd=ROOT, capture_output=True,
                        text=True)
    assert ok.returncode == 0
    assert ok.stdout.splitlines()[0] == "2026-10-16"
    refused = subprocess.run([*manage, "deadline", "workdays:10", "2026-12-28"], env=env, cwd=ROOT,
                             capture_output=True, text=True)
    assert refused.returncode != 0
    assert "2027" in refused.stderr
