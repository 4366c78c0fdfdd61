"""Deadline arithmetic for deliberation opinions (民法典 arts. 201–203).

Pure by design: standard library only, no Django, no database and no clock, so that every due date can be
recomputed and explained from its inputs alone, and so that this module can be tested exhaustively in isolation.
"""

import calendar as _stdcalendar
import dataclasses
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

__all__ = [
    "ANCHOR_LABELS",
    "CalendarMissingError",
    "DeadlineError",
    "DueDate",
    "InvalidExtensionError",
    "NoNextSessionError",
    "Rule",
    "RuleSyntaxError",
    "Step",
    "WorkCalendar",
    "add_days",
    "add_months",
    "add_workdays",
    "compute_due",
    "days_left",
    "extend",
    "next_workday_on_or_after",
    "period_dates",
    "previous_workday_before",
    "zh_number",
]

ANCHOR_LABELS = {
    "issue": ("交办日", "issue date"),
    "receipt": ("签收日", "receipt date"),
    "meeting": ("闭会日", "end of meeting"),
    "return": ("退回日", "date returned"),
}

MAX_N = 999

_COUNTED_KINDS = ("months", "days", "workdays")
_FIXED_KINDS = ("next_session", "year_end")
# "N days before the December session" / "before the meeting that hears the report" (监督法: the report reaches the
# committee 20 days before it): fixed points taken from the meetings register.
_SESSION_KINDS = ("december_session", "before_meeting")
# 定期报告: every N months until a date, each period's report due in turn (domain.md §6).
RULE_KINDS = (*_COUNTED_KINDS, "date", *_FIXED_KINDS, *_SESSION_KINDS, "periodic")
MAX_PERIODS = 120
# A period's last day on a rest day rolls forward (art. 203); a fixed point ("年底前", "不晚于…") rolls back.
_FIXED_POINT_KINDS = ("date", "year_end", *_SESSION_KINDS)
STEP_KINDS = ("computed", "rest_day", "rolled_forward", "rolled_back", "extended", "next_session", "session",
              "no_session", "period")

_WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_ZH_DIGITS = "零一二三四五六七八九"


# --- errors -----------------------------------------------------------------------------------------------------


class DeadlineError(Exception):
    """Base of every error this module raises; carries a stable code for the UI and API plus bilingual text."""

    code = "deadline_error"

    def __init__(self, message_zh: str, message_en: str = ""):
        super().__init__(message_zh)
        self.message_zh = message_zh
        self.message_en = message_en or message_zh

    def __str__(self) -> str:
        return self.message_zh

    def __reduce__(self):
        # Subclasses take different constructor arguments; rebuilding from the messages keeps pickling (e.g. for
        # task queues) from calling them with the wrong ones.
        return (_rebuild_error, (type(self), self.__dict__.copy()))


def _rebuild_error(cls: type, state: dict) -> DeadlineError:
    error = cls.__new__(cls)
    Exception.__init__(error, state.get("message_zh", ""))
    error.__dict__.update(state)
    return error


class RuleSyntaxError(DeadlineError):
    code = "rule_syntax"


class CalendarMissingError(DeadlineError):
    code = "calendar_missing"

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"{year} 年的工作日历尚未录入（国务院尚未公布或管理员尚未导入），"
            f"无法计算工作日，请管理员先录入 {year} 年日历。",
            f"The working-day calendar for {year} has not been entered (not yet published by the State Council or "
            f"not yet imported by an administrator), so working days cannot be computed. "
            f"Please ask an administrator to enter the {year} calendar.",
        )


class NoNextSessionError(DeadlineError):
    code = "no_next_session"


class InvalidExtensionError(DeadlineError):
    code = "invalid_extension"


# --- calendar ---------------------------------------------------------------------------------------------------


def _days_in_year(year: int) -> int:
    return 366 if _stdcalendar.isleap(year) else 365


class WorkCalendar:
    """The official working-day calendar, one complete year at a time.

    A year only counts once every one of its days is known: a half-entered year would silently treat unknown days
    as ordinary weekdays, which is exactly the guess the law (and the State Council's yearly notice) forbids.
    """

    def __init__(self, days: Mapping[date, bool], notes: Mapping[date, str] | None = None,
                 provisional_years: frozenset[int] = frozenset()):
        """`provisional_years`: years entered as weekends only, before the State Council published their holidays.
        They count, so that November and December work can go on; every due date that reads one of their days says
        so (DueDate.provisional_years)."""
        self._days = {d: bool(is_workday) for d, is_workday in days.items()}
        self._notes = dict(notes or {})
        per_year = Counter(d.year for d in self._days)
        self._covered = frozenset(year for year, count in per_year.items() if count == _days_in_year(year))
        self._provisional = frozenset(provisional_years) & self._covered

    def __repr__(self) -> str:
        return f"WorkCalendar(covered_years={sorted(self._covered)}, provisional_years={sorted(self._provisional)})"

    @property
    def covered_years(self) -> frozenset[int]:
        return self._covered

    def provisional_between(self, first: date, last: date) -> tuple[int, ...]:
        """The provisional years among those a computation read from `first` to `last` (either order)."""
        low, high = sorted((first, last))
        return tuple(year for year in range(low.year, high.year + 1) if year in self._provisional)

    def is_workday(self, d: date) -> bool:
        if d.year not in self._covered:
            raise CalendarMissingError(d.year)
        return self._days[d]

    def note(self, d: date) -> str | None:
        return self._notes.get(d)


# --- date arithmetic --------------------------------------------------------------------------------------------


def add_months(d: date, n: int) -> date:
    """Art. 203: the corresponding day of the due month, or its last day when the month is too short."""
    month_index = d.year * 12 + (d.month - 1) + n
    year, month0 = divmod(month_index, 12)
    month = month0 + 1
    return date(year, month, min(d.day, _stdcalendar.monthrange(year, month)[1]))


def add_days(d: date, n: int) -> date:
    # Art. 201: the anchor day itself is not counted, so day 1 is the day after.
    return d + timedelta(days=n)


def add_workdays(d: date, n: int, calendar: WorkCalendar) -> date:
    """The n-th working day strictly after d; 调休 make-up days count because the calendar says they are workdays."""
    if n < 1:
        raise ValueError(f"n must be a positive number of working days, got {n}")
    current = d
    remaining = n
    while remaining:
        current += timedelta(days=1)
        if calendar.is_workday(current):
            remaining -= 1
    return current


def next_workday_on_or_after(d: date, calendar: WorkCalendar) -> date:
    # Terminates: covered years are finite, so at worst we reach an uncovered year and raise.
    current = d
    while not calendar.is_workday(current):
        current += timedelta(days=1)
    return current


def previous_workday_before(d: date, calendar: WorkCalendar) -> date:
    """The last working day on or before d: where a fixed point ("年底前") lands when it is a rest day."""
    current = d
    while not calendar.is_workday(current):
        current -= timedelta(days=1)
    return current


def days_left(due: date, today: date) -> int:
    return (due - today).days


# --- rules ------------------------------------------------------------------------------------------------------

_ACCEPTED_FORMS_ZH = (
    "可接受的写法：months:N（N 个月）、days:N（N 日）、workdays:N（N 个工作日）、"
    "date:YYYY-MM-DD（指定日期前）、year_end（年底前）、next_session（下一次常委会会议）、"
    "december_session:N（十二月常委会会议前 N 日）、before_meeting:N（听取报告的会议前 N 日）、"
    "periodic:N:YYYY-MM-DD（每 N 个月定期报告至该日），N 为 1–999 的正整数。"
)
_ACCEPTED_FORMS_EN = (
    "Accepted forms: months:N, days:N, workdays:N, date:YYYY-MM-DD, year_end, next_session, december_session:N "
    "(N days before the December session), before_meeting:N (N days before the meeting that hears the report), "
    "periodic:N:YYYY-MM-DD (every N months until that date), where N is a whole number from 1 to 999."
)


def _syntax_error(text: object, reason_zh: str, reason_en: str) -> RuleSyntaxError:
    return RuleSyntaxError(
        f"期限规则“{text}”无法识别：{reason_zh}。{_ACCEPTED_FORMS_ZH}",
        f"Cannot read deadline rule {text!r}: {reason_en}. {_ACCEPTED_FORMS_EN}",
    )


def zh_number(n: int) -> str:
    """Chinese numerals for 1..999 as written in official documents (十, 二十一, 一百零五, 一百一十)."""
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    if not hundreds:
        if not tens:
            return _ZH_DIGITS[ones]
        # 十 alone reads "ten"; 一十 only appears after a hundreds digit.
        return ("" if tens == 1 else _ZH_DIGITS[tens]) + "十" + (_ZH_DIGITS[ones] if ones else "")
    text = _ZH_DIGITS[hundreds] + "百"
    if tens:
        text += _ZH_DIGITS[tens] + "十" + (_ZH_DIGITS[ones] if ones else "")
    elif ones:
        text += "零" + _ZH_DIGITS[ones]
    return text


def _zh_count(n: int, with_measure_word: bool) -> str:
    # Before the measure word 个, a lone 2 is spoken 两 (两个月); a bare 日 keeps the statutory 二 (二日).
    if n == 2 and with_measure_word:
        return "两"
    return zh_number(n)


def _plural_en(n: int, singular: str) -> str:
    return f"{n} {singular}" if n == 1 else f"{n} {singular}s"


@dataclass(frozen=True)
class Rule:
    kind: str
    n: int | None = None
    fixed: date | None = None

    def __post_init__(self):
        # Validating here, not only in parse(), keeps rules rebuilt from stored data (from_dict) just as safe.
        if self.kind in (*_COUNTED_KINDS, *_SESSION_KINDS):
            valid = (
                isinstance(self.n, int) and not isinstance(self.n, bool) and 1 <= self.n <= MAX_N
            ) and self.fixed is None
        elif self.kind == "date":
            valid = self.n is None and isinstance(self.fixed, date) and not isinstance(self.fixed, datetime)
        elif self.kind == "periodic":
            valid = (isinstance(self.n, int) and not isinstance(self.n, bool) and 1 <= self.n <= 120
                     and isinstance(self.fixed, date) and not isinstance(self.fixed, datetime))
        elif self.kind in _FIXED_KINDS:
            valid = self.n is None and self.fixed is None
        else:
            valid = False
        if not valid:
            shown = f"Rule(kind={self.kind!r}, n={self.n!r}, fixed={self.fixed!r})"
            raise _syntax_error(shown, "种类或参数不合法", "invalid kind or parameter")

    @classmethod
    def parse(cls, text: str) -> "Rule":
        if not isinstance(text, str) or not text.strip():
            raise _syntax_error(text, "规则为空", "the rule is empty")
        # Full-width colons are what a Chinese input method produces; accepting them spares users a puzzling error.
        kind, sep, arg = text.strip().replace("：", ":").partition(":")
        kind, arg = kind.strip().lower(), arg.strip()
        if kind in _FIXED_KINDS:
            if sep:
                raise _syntax_error(text, f"{kind} 不带参数", f"{kind} takes no argument")
            return cls(kind)
        if kind in (*_COUNTED_KINDS, *_SESSION_KINDS):
            return cls(kind, n=_parse_count(text, arg))
        if kind == "date":
            return cls("date", fixed=_parse_fixed_date(text, arg))
        if kind == "periodic":
            months, _sep, until = arg.partition(":")
            if not until:
                raise _syntax_error(text, "应写作 periodic:月数:截止日期，如 periodic:6:2027-12-31",
                                    "write periodic:MONTHS:YYYY-MM-DD, e.g. periodic:6:2027-12-31")
            n = _parse_count(text, months.strip())
            if n > 120:
                raise _syntax_error(text, "间隔月数须在 1 到 120 之间", "the interval must be 1 to 120 months")
            return cls("periodic", n=n, fixed=_parse_fixed_date(text, until.strip()))
        raise _syntax_error(text, f"未知的种类“{kind}”", f"unknown kind {kind!r}")

    def __str__(self) -> str:
        if self.kind in (*_COUNTED_KINDS, *_SESSION_KINDS):
            return f"{self.kind}:{self.n}"
        if self.kind == "date":
            return f"date:{self.fixed.isoformat()}"
        if self.kind == "periodic":
            return f"periodic:{self.n}:{self.fixed.isoformat()}"
        return self.kind

    def label(self, lang: str = "zh") -> str:
        if lang == "zh":
            return self._label_zh()
        return self._label_en()

    def _label_zh(self) -> str:
        if self.kind == "months":
            return f"{_zh_count(self.n, True)}个月"
        if self.kind == "days":
            return f"{_zh_count(self.n, False)}日"
        if self.kind == "workdays":
            return f"{_zh_count(self.n, True)}个工作日"
        if self.kind == "date":
            return f"{self.fixed.isoformat()} 前"
        if self.kind == "year_end":
            return "年底前"
        if self.kind == "december_session":
            return f"十二月常委会会议前{_zh_count(self.n, False)}日"
        if self.kind == "before_meeting":
            return f"听取报告的会议前{_zh_count(self.n, False)}日"
        if self.kind == "periodic":
            return f"每{_zh_count(self.n, True)}个月定期报告（至 {self.fixed.isoformat()}）"
        return "下一次常委会会议"

    def _label_en(self) -> str:
        if self.kind == "months":
            return _plural_en(self.n, "month")
        if self.kind == "days":
            return _plural_en(self.n, "day")
        if self.kind == "workdays":
            return _plural_en(self.n, "working day")
        if self.kind == "date":
            return f"by {self.fixed.isoformat()}"
        if self.kind == "year_end":
            return "by the end of the year"
        if self.kind == "december_session":
            return f"{_plural_en(self.n, 'day')} before the December Standing Committee session"
        if self.kind == "before_meeting":
            return f"{_plural_en(self.n, 'day')} before the meeting that hears the report"
        if self.kind == "periodic":
            return f"every {_plural_en(self.n, 'month')} until {self.fixed.isoformat()}"
        return "next Standing Committee session"


def _parse_count(text: str, arg: str) -> int:
    # Bounded length before int() so absurdly long digit strings are a syntax error, not a ValueError.
    if not re.fullmatch(r"[0-9]{1,6}", arg):
        raise _syntax_error(text, "期限数必须是正整数", "the count must be a positive whole number")
    n = int(arg)
    if not 1 <= n <= MAX_N:
        raise _syntax_error(text, f"期限数必须在 1 到 {MAX_N} 之间", f"the count must be between 1 and {MAX_N}")
    return n


def _parse_fixed_date(text: str, arg: str) -> date:
    # fromisoformat alone would also accept 20241231 and week dates; only the documented form is allowed.
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", arg):
        try:
            return date.fromisoformat(arg)
        except ValueError:
            pass
    raise _syntax_error(text, "日期无效，应为 YYYY-MM-DD", "the date is not a valid YYYY-MM-DD date")


# --- due dates --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    kind: str
    date: date
    note: str = ""

    def __post_init__(self):
        if self.kind not in STEP_KINDS:
            raise ValueError(f"unknown step kind {self.kind!r}; expected one of {STEP_KINDS}")


@dataclass(frozen=True)
class DueDate:
    due: date
    rule: Rule
    anchor_event: str
    anchor_date: date
    steps: tuple[Step, ...]
    # Years entered as weekends only that this date was counted on: the date may move when the official year is
    # entered (暂定).
    provisional_years: tuple[int, ...] = ()

    def __post_init__(self):
        if self.anchor_event not in ANCHOR_LABELS:
            raise ValueError(f"unknown anchor event {self.anchor_event!r}; expected one of {tuple(ANCHOR_LABELS)}")
        # A list would make the frozen value unhashable and break equality with round-tripped copies.
        object.__setattr__(self, "steps", tuple(self.steps))
        object.__setattr__(self, "provisional_years", tuple(sorted(set(self.provisional_years))))

    @property
    def awaiting_session(self) -> bool:
        """The rule counts from a session that is not registered yet: the date is the fallback for now."""
        return any(step.kind == "no_session" for step in self.steps)

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years) or self.awaiting_session

    @property
    def period(self) -> tuple[int, int] | None:
        """(k, of n) for a periodic rule's date: which report of the series it is."""
        step = next((step for step in self.steps if step.kind == "period"), None)
        if step is None:
            return None
        k, _sep, total = step.note.partition("/")
        return int(k), int(total)

    @staticmethod
    def stored_is_provisional(data: dict | None) -> bool:
        """`provisional` of a stored basis (to_dict), read without rebuilding it: list pages ask it of every row."""
        return bool(data) and (bool(data.get("provisional_years"))
                               or any(step.get("kind") == "no_session" for step in data.get("steps", ())))

    @property
    def original_due(self) -> date:
        """The due date as the rule set it, before any extension: kept to show what was extended (timeliness is
        judged against the due date in force, selectors.on_time_q)."""
        current = self.due
        for step in self.steps:
            if step.kind == "extended":
                return current
            if step.kind != "rest_day":
                current = step.date
        return self.due

    def explain(self, lang: str = "zh") -> str:
        arrow = " → "
        return arrow.join([self._header(lang), *_render_steps(self.steps, lang)]) + self._provisional_note(lang)

    def _provisional_note(self, lang: str) -> str:
        if not self.provisional_years:
            return ""
        years_zh = "、".join(f"{year} 年" for year in self.provisional_years)
        years_en = ", ".join(str(year) for year in self.provisional_years)
        if lang == "zh":
            return f"（暂定：{years_zh}节假日安排尚未录入，按周末计算；录入正式日历后自动重算）"
        return (f" (provisional: the holidays of {years_en} have not been entered, weekends only were counted; "
                f"recomputed when the official calendar is entered)")

    def _header(self, lang: str) -> str:
        label = self.rule.label(lang)
        if self.rule.kind in ("date", *_SESSION_KINDS):
            # "By <date>" does not depend on the anchor, so naming it would only mislead.
            return label
        anchor_zh, anchor_en = ANCHOR_LABELS[self.anchor_event]
        if lang == "zh":
            return f"{label}，自{anchor_zh} {self.anchor_date.isoformat()} 起"
        return f"{label} from {anchor_en} {self.anchor_date.isoformat()}"

    def to_dict(self) -> dict:
        return {
            "due": self.due.isoformat(),
            "rule": str(self.rule),
            "anchor_event": self.anchor_event,
            "anchor_date": self.anchor_date.isoformat(),
            "steps": [{"kind": s.kind, "date": s.date.isoformat(), "note": s.note} for s in self.steps],
            "provisional_years": list(self.provisional_years),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "DueDate":
        return cls(
            due=date.fromisoformat(data["due"]),
            rule=Rule.parse(data["rule"]),
            anchor_event=data["anchor_event"],
            anchor_date=date.fromisoformat(data["anchor_date"]),
            steps=tuple(
                Step(s["kind"], date.fromisoformat(s["date"]), s.get("note", "")) for s in data.get("steps", ())
            ),
            provisional_years=tuple(data.get("provisional_years", ())),
        )


def _render_steps(steps: tuple[Step, ...], lang: str) -> list[str]:
    # A rest_day step annotates the date just before it ("2020-12-05 周六") instead of being a hop of its own.
    parts = []
    for index, step in enumerate(steps):
        if step.kind == "rest_day":
            continue
        following = steps[index + 1] if index + 1 < len(steps) else None
        rest = following if following is not None and following.kind == "rest_day" else None
        parts.append(_render_step(step, rest, lang))
    return parts


def _render_step(step: Step, rest: Step | None, lang: str) -> str:
    shown = step.date.isoformat()
    if rest is not None:
        shown += " " + _rest_day_label(rest, lang)
    if step.kind == "rolled_forward":
        return f"顺延至 {shown}" if lang == "zh" else f"rolled forward to {shown}"
    if step.kind == "rolled_back":
        return f"提前至 {shown}" if lang == "zh" else f"moved back to {shown}"
    if step.kind == "session":
        return f"常委会会议 {shown}" if lang == "zh" else f"Standing Committee session {shown}"
    if step.kind == "period":
        k, _sep, total = step.note.partition("/")
        return f"第 {k} 期（共 {total} 期）{shown}" if lang == "zh" else f"report {k} of {total}: {shown}"
    if step.kind == "no_session":
        return (f"尚未登记十二月常委会会议，暂以年底 {shown} 计" if lang == "zh"
                else f"no December session registered yet: the year's end {shown} for now")
    if step.kind == "extended":
        return f"延期至 {shown}（原 {step.note}）" if lang == "zh" else f"extended to {shown} (was {step.note})"
    return shown


def _rest_day_label(rest: Step, lang: str) -> str:
    # A holiday name explains more than its weekday, even when the holiday falls on a weekend.
    if rest.note:
        return rest.note
    weekdays = _WEEKDAYS_ZH if lang == "zh" else _WEEKDAYS_EN
    return weekdays[rest.date.weekday()]


def _roll_forward_steps(d: date, calendar: WorkCalendar) -> list[Step]:
    """Art. 203 ¶2: a last day falling on a rest day moves to the first working day after it."""
    if calendar.is_workday(d):
        return []
    return [
        Step("rest_day", d, calendar.note(d) or ""),
        Step("rolled_forward", next_workday_on_or_after(d, calendar)),
    ]


def _roll_back_steps(d: date, calendar: WorkCalendar) -> list[Step]:
    """A fixed point ("年底前", "不晚于…") on a rest day moves back to the last working day before it: rolling
    forward would carry "before the year's end" into January."""
    if calendar.is_workday(d):
        return []
    return [
        Step("rest_day", d, calendar.note(d) or ""),
        Step("rolled_back", previous_workday_before(d, calendar)),
    ]


def _is_fixed_point(rule: Rule, steps: list[Step]) -> bool:
    """A date that is a point rather than the end of a period: a periodic series' last report, due on its end
    date, is one; the reports before it end periods."""
    if rule.kind == "periodic":
        k, _sep, total = steps[0].note.partition("/")
        return k == total
    return rule.kind in _FIXED_POINT_KINDS


def _final_date(steps: list[Step]) -> date:
    # Rolling always pairs rest_day with rolled_forward/back, so the last step is where the deadline ended up.
    return steps[-1].date


def compute_due(
    rule: Rule | str,
    anchor_date: date,
    *,
    calendar: WorkCalendar,
    anchor_event: str = "receipt",
    roll_forward: bool = True,
    next_session: date | None = None,
    december_session: date | None = None,
    hearing_meeting: date | None = None,
    period: int = 1,
) -> DueDate:
    """`roll_forward`: a period whose last day is a rest day rolls forward (art. 203; a rule-set option, on by
    default). A fixed point on a rest day always moves back: "年底前" never means January.
    `december_session`: the date of the December session in the register (december_session rules); without one
    the year's end stands in, and the date says so (awaiting_session). `hearing_meeting`: the date of the meeting
    chosen to hear the report (before_meeting rules), required. `period`: which report of a periodic series (from
    1)."""
    if isinstance(rule, str):
        rule = Rule.parse(rule)
    if anchor_event not in ANCHOR_LABELS:
        raise ValueError(f"unknown anchor event {anchor_event!r}; expected one of {tuple(ANCHOR_LABELS)}")

    if rule.kind == "next_session":
        # The meeting itself is the deadline; it cannot be "rolled" to another day.
        meeting = _checked_next_session(next_session, anchor_date, anchor_event)
        steps = [Step("next_session", meeting)]
    else:
        if rule.kind == "december_session":
            steps = _december_session_steps(rule, anchor_date, december_session)
        elif rule.kind == "before_meeting":
            steps = _before_meeting_steps(rule, anchor_date, hearing_meeting)
        elif rule.kind == "periodic":
            steps = _periodic_steps(rule, anchor_date, period)
        else:
            steps = [Step("computed", _raw_due(rule, anchor_date, calendar))]
        fixed_point = _is_fixed_point(rule, steps)
        if roll_forward or fixed_point:
            steps += (_roll_back_steps if fixed_point else _roll_forward_steps)(steps[-1].date, calendar)

    due = _final_date(steps)
    return DueDate(
        due=due,
        rule=rule,
        anchor_event=anchor_event,
        anchor_date=anchor_date,
        steps=tuple(steps),
        provisional_years=_provisional_years(rule, anchor_date, steps, calendar, roll_forward),
    )


def period_dates(rule: Rule, anchor_date: date) -> list[date]:
    """A periodic series' due dates before any rest-day adjustment: every N months from the anchor, the last on the
    end date. Refused when it has no period, or more than MAX_PERIODS."""
    if rule.fixed <= anchor_date:
        raise DeadlineError(
            f"定期报告的截止日期 {rule.fixed.isoformat()} 须晚于起算日 {anchor_date.isoformat()}。",
            f"The end date {rule.fixed.isoformat()} of the periodic reports must be after the anchor date "
            f"{anchor_date.isoformat()}.")
    dates = []
    while (due := add_months(anchor_date, (len(dates) + 1) * rule.n)) < rule.fixed:
        dates.append(due)
        if len(dates) >= MAX_PERIODS:
            raise DeadlineError(f"定期报告超过 {MAX_PERIODS} 期：请加大间隔或提前截止日期。",
                                f"More than {MAX_PERIODS} periodic reports: lengthen the interval or end sooner.")
    return [*dates, rule.fixed]


def _periodic_steps(rule: Rule, anchor_date: date, period: int) -> list[Step]:
    dates = period_dates(rule, anchor_date)
    if not 1 <= period <= len(dates):
        raise ValueError(f"period {period} is outside 1..{len(dates)}")
    return [Step("period", dates[period - 1], f"{period}/{len(dates)}")]


def _counted_back_from(rule: Rule, anchor_date: date, meeting: date, name_zh: str, name_en: str) -> list[Step]:
    due = meeting - timedelta(days=rule.n)
    if due <= anchor_date:
        raise DeadlineError(
            f"{name_zh}（{meeting.isoformat()}）前{_zh_count(rule.n, False)}日是 {due.isoformat()}，"
            f"不晚于起算日 {anchor_date.isoformat()}：请选择更晚的会议或改用其他期限规则。",
            f"{_plural_en(rule.n, 'day')} before {name_en} ({meeting.isoformat()}) is {due.isoformat()}, not after "
            f"the anchor date {anchor_date.isoformat()}: choose a later meeting or another rule.",
        )
    return [Step("session", meeting), Step("computed", due)]


def _december_session_steps(rule: Rule, anchor_date: date, session: date | None) -> list[Step]:
    if session is None:
        return [Step("no_session", date(anchor_date.year, 12, 31))]
    return _counted_back_from(rule, anchor_date, session, "十二月常委会会议", "the December session")


def _before_meeting_steps(rule: Rule, anchor_date: date, meeting: date | None) -> list[Step]:
    if meeting is None:
        raise NoNextSessionError(
            "期限规则为“听取报告的会议前 N 日”，但尚未选择听取报告的会议。",
            "The rule counts back from the meeting that hears the report, but no meeting has been chosen.",
        )
    return _counted_back_from(rule, anchor_date, meeting, "听取报告的会议", "the meeting that hears the report")


def _provisional_years(rule: Rule, anchor_date: date, steps: list[Step], calendar: WorkCalendar,
                       roll_forward: bool) -> tuple[int, ...]:
    """The provisional years among the days the computation read: every day counted for a working-day rule, and
    the days inspected when the date was moved off a rest day."""
    if rule.kind == "workdays":
        return calendar.provisional_between(anchor_date, steps[-1].date)
    if (roll_forward or _is_fixed_point(rule, steps)) and rule.kind != "next_session":
        first = next(step.date for step in steps if step.kind in ("computed", "no_session", "period"))
        return calendar.provisional_between(first, steps[-1].date)
    return ()


def _raw_due(rule: Rule, anchor_date: date, calendar: WorkCalendar) -> date:
    if rule.kind == "months":
        return add_months(anchor_date, rule.n)
    if rule.kind == "days":
        return add_days(anchor_date, rule.n)
    if rule.kind == "workdays":
        return add_workdays(anchor_date, rule.n, calendar)
    if rule.kind == "year_end":
        # 年底前 / "12 月份": audit rectification is reported by 31 December of the anchor's year (河南 art. 30).
        return date(anchor_date.year, 12, 31)
    return rule.fixed


def _checked_next_session(next_session: date | None, anchor_date: date, anchor_event: str) -> date:
    if next_session is None:
        raise NoNextSessionError(
            "期限规则为“下一次常委会会议”，但尚未填写下一次常委会会议的日期。",
            "The rule is 'next Standing Committee session', but the date of the next session has not been entered.",
        )
    if next_session <= anchor_date:
        anchor_zh, anchor_en = ANCHOR_LABELS[anchor_event]
        raise NoNextSessionError(
            f"下一次常委会会议日期 {next_session.isoformat()} 必须晚于{anchor_zh} {anchor_date.isoformat()}。",
            f"The next session date {next_session.isoformat()} must be after the {anchor_en} "
            f"{anchor_date.isoformat()}.",
        )
    return next_session


def extend(due: DueDate, new_date: date, *, calendar: WorkCalendar, roll_forward: bool = True) -> DueDate:
    if new_date <= due.due:
        raise InvalidExtensionError(
            f"延期后的日期 {new_date.isoformat()} 必须晚于当前截止日期 {due.due.isoformat()}。",
            f"The extended date {new_date.isoformat()} must be after the current due date {due.due.isoformat()}.",
        )
    steps = [Step("extended", new_date, due.due.isoformat())]
    if roll_forward:
        steps += _roll_forward_steps(new_date, calendar)
    final = _final_date(steps)
    return dataclasses.replace(due, due=final, steps=(*due.steps, *steps),
                               provisional_years=calendar.provisional_between(new_date, final) if roll_forward else ())
