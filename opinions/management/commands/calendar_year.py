"""`manage.py calendar_year 2027 --rest 2027-01-01..2027-01-03:元旦 --work 2027-02-07:春节调休上班`

Enters a year's working-day calendar from the State Council's notice, so deadlines into that year can be computed;
`--provisional` enters it as weekends only until the notice is out (every date counted on it says 暂定). An office's
administrators read this command's messages: they are in Chinese.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from npc_tracker.errors import DomainError
from opinions import services
from opinions.calendar_input import CalendarInputError, parse_lines


class Command(BaseCommand):
    help = ("录入一年的工作日历（周末 + 法定节假日 + 调休上班日）；"
            "--provisional 暂按周末录入，待国务院公布后再录入正式日历。")

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="年份")
        parser.add_argument("--rest", action="append", default=[], metavar="日期[..日期][:名称]",
                            help="法定节假日（休息日），可重复")
        parser.add_argument("--work", action="append", default=[], metavar="日期[..日期][:说明]",
                            help="调休上班的周末，可重复")
        parser.add_argument("--provisional", action="store_true",
                            help="暂定：只按周末录入（国务院尚未公布节假日安排时）；据此计算的期限均标注“暂定”")
        parser.add_argument("--replace", action="store_true", help="覆盖该年已录入的正式日历")
        parser.add_argument("--user", help="记入修改历史的管理员用户名（默认不记）")

    def handle(self, *args, year, rest, work, provisional, replace, user, **options):
        actor = get_user_model().objects.filter(username=user).first() if user else None
        if user and actor is None:
            raise CommandError(f"没有用户“{user}”")
        try:
            rest_days, workdays = parse_lines(rest, "法定节假日"), parse_lines(work, "调休上班")
        except CalendarInputError as exc:
            raise CommandError(str(exc)) from exc
        try:
            entered = services.calendar_enter_year(year=year, actor=actor, rest_days=rest_days,
                                                   make_up_workdays=workdays, replace=replace,
                                                   provisional=provisional)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        kind = "暂定日历（仅周末）" if provisional else "正式日历"
        self.stdout.write(f"{year} 年{kind}已录入：写入 {entered.written} 天（法定节假日 {len(rest_days)} 天，"
                          f"调休上班 {len(workdays)} 天）。")
        if entered.replaced_provisional:
            self.stdout.write(f"已替换 {year} 年的暂定日历：重算 {entered.recomputed} 件未办结事项的期限，"
                              f"其中 {entered.moved} 件期限有变化，已通知承办单位。")
