"""`manage.py deadline months:3 2020-08-31` — check a due date against the calendar in the database.

First line: the due date (YYYY-MM-DD), followed by 暂定 when it was counted on a provisional calendar year; then
how it was computed. Exits non-zero with a clear message when no
date can be computed (bad rule, year without calendar data, no next session)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from opinions import deadlines, rules


def parse_date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{what} “{text}” 不是有效日期，应为 YYYY-MM-DD / not a valid YYYY-MM-DD date") from exc


class Command(BaseCommand):
    help = "Compute a due date: deadline <rule> <anchor-date>, e.g. deadline workdays:10 2026-09-28"

    def add_arguments(self, parser):
        parser.add_argument("rule", help="months:N | days:N | workdays:N | date:YYYY-MM-DD | year_end | next_session "
                                         "| december_session:N")
        parser.add_argument("anchor", help="anchor date, YYYY-MM-DD (the anchor day itself is not counted)")
        parser.add_argument("--anchor-event", choices=sorted(deadlines.ANCHOR_LABELS), default="receipt")
        parser.add_argument("--no-roll-forward", action="store_true",
                            help="keep a due date that falls on a rest day")
        parser.add_argument("--next-session", help="date of the next SC session (default: from the meetings table)")
        parser.add_argument("--lang", choices=["zh", "en"], default="zh")

    def handle(self, *args, **options):
        anchor = parse_date(options["anchor"], "起算日 anchor")
        try:
            rule = deadlines.Rule.parse(options["rule"])
            next_session = (parse_date(options["next_session"], "--next-session") if options["next_session"]
                            else rules.next_session_after(anchor))
            due = deadlines.compute_due(
                rule, anchor,
                calendar=rules.work_calendar(anchor.year, anchor.year + rules.CALENDAR_LOOKAHEAD_YEARS),
                anchor_event=options["anchor_event"], roll_forward=not options["no_roll_forward"],
                next_session=next_session,
                december_session=rules.december_session_of(anchor) if rule.kind == "december_session" else None,
            )
        except deadlines.DeadlineError as exc:
            raise CommandError(exc.message_en if options["lang"] == "en" else exc.message_zh) from exc
        # 暂定 on the date's own line: a script reading only that line must not take a guessed date for a legal one.
        marker = {"zh": " 暂定", "en": " provisional"}[options["lang"]] if due.provisional else ""
        self.stdout.write(due.due.isoformat() + marker)
        self.stdout.write(due.explain(options["lang"]))
