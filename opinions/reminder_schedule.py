"""When reminders fire (domain.md §7). Pure: no Django, dates and a working-day predicate are arguments.

The ladder: reminders N days before the due date, a 催办通知 the day after it, a 通报 (escalation) after N working
days overdue. Reminders go out only inside a sending window on working days (no messages at night), and a
reminder whose moment has passed and been superseded by a later step is skipped, not sent late.

Two shorter ladders come before it: a case not acknowledged (签收) N working days after it was issued reminds the
liaisons, and N more the committee's staff; a draft whose meeting closed reminds the staff a few days before its
hand-over (交办) deadline. After the report, an item carried over (持续整改) has a next report date: the liaisons a
week before it, and the liaisons and the staff the day after it when the body has not reported.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

BEFORE = "before"
OVERDUE = "overdue"
ESCALATION = "escalation"
ACKNOWLEDGE = "ack"
ACKNOWLEDGE_STAFF = "ack_staff"
HANDOVER = "handover"
TO_MEMBERS = "to_members"
FOLLOW_UP = "follow_up"
FOLLOW_UP_OVERDUE = "follow_up_overdue"
FOLLOW_UP_LEAD_DAYS = 7
# 监督法: the report reaches the members ten days before the session that hears it; the staff are reminded this
# many days before that.
MEMBERS_DAYS_BEFORE_SESSION = 10
MEMBERS_REMINDER_LEAD_DAYS = 3
REPORT_STEPS = (BEFORE, OVERDUE, ESCALATION)


@dataclass(frozen=True)
class Policy:
    days_before: tuple[int, ...] = (30, 14, 7, 3, 1, 0)
    overdue_after_days: int = 1
    escalate_after_workdays: int = 5
    window_start: time = time(8, 30)
    window_end: time = time(18, 0)

    def __post_init__(self):
        if any(n < 0 for n in self.days_before) or len(set(self.days_before)) != len(self.days_before):
            raise ValueError("days_before must be distinct whole numbers of days, zero or more")
        if self.overdue_after_days < 1 or self.escalate_after_workdays < 1:
            raise ValueError("overdue and escalation steps come at least one day after the due date")
        if not self.window_start < self.window_end:
            raise ValueError("the sending window must start before it ends")


@dataclass(frozen=True)
class Step:
    key: str        # "before:7", "overdue", "escalation"
    fire_on: date   # local date; it fires at the window's start that day

    @property
    def kind(self) -> str:
        return self.key.partition(":")[0]

    @property
    def rank(self) -> int:
        """Order along the ladder: a step supersedes every step of lower rank for the same due date."""
        if self.kind == BEFORE:
            return -int(self.key.partition(":")[2])
        return 1 if self.kind == OVERDUE else 2


def step_rank(key: str) -> int:
    return Step(key, date.min).rank


def nth_workday_after(day: date, n: int, *, is_workday: Callable[[date], bool]) -> date:
    counted = 0
    while counted < n:
        day += timedelta(days=1)
        counted += is_workday(day)
    return day


def acknowledgement_plan(issued: date, workdays: int, *, is_workday: Callable[[date], bool]) -> list[Step]:
    """Not acknowledged `workdays` working days after the issue: the liaisons; as many again: the staff. Both rungs
    belong to the first date (the reminder's due date). 0 switches them off."""
    if workdays < 1:
        return []
    first = nth_workday_after(issued, workdays, is_workday=is_workday)
    return [Step(ACKNOWLEDGE, first), Step(ACKNOWLEDGE_STAFF, nth_workday_after(first, workdays,
                                                                                   is_workday=is_workday))]


def members_due(session: date) -> date:
    """The day the report must reach the members: the rungs' due date."""
    return session - timedelta(days=MEMBERS_DAYS_BEFORE_SESSION)


def members_plan(due: date) -> list[Step]:
    """The staff, a few days before the report must reach the members."""
    return [Step(TO_MEMBERS, due - timedelta(days=MEMBERS_REMINDER_LEAD_DAYS))]


def follow_up_plan(due: date) -> list[Step]:
    """A carried-over item's next report date (the rungs' due date): a week before, and the day after."""
    return [Step(FOLLOW_UP, due - timedelta(days=FOLLOW_UP_LEAD_DAYS)),
            Step(FOLLOW_UP_OVERDUE, due + timedelta(days=1))]


def handover_plan(deadline: date, remind_before_days: int) -> list[Step]:
    """The staff, `remind_before_days` before the draft must be issued (交办)."""
    return [Step(HANDOVER, deadline - timedelta(days=remind_before_days))]


def plan(due: date, policy: Policy, *, is_workday: Callable[[date], bool]) -> list[Step]:
    steps = [Step(f"{BEFORE}:{n}", due - timedelta(days=n)) for n in sorted(policy.days_before, reverse=True)]
    steps.append(Step(OVERDUE, due + timedelta(days=policy.overdue_after_days)))
    steps.append(Step(ESCALATION, nth_workday_after(due, policy.escalate_after_workdays, is_workday=is_workday)))
    return steps


def fire_at(step: Step, policy: Policy) -> datetime:
    """Naive local time; the caller makes it aware in the product's time zone."""
    return datetime.combine(step.fire_on, policy.window_start)


def in_window(local: datetime, policy: Policy, *, is_workday: Callable[[date], bool]) -> bool:
    return is_workday(local.date()) and policy.window_start <= local.time() < policy.window_end


def superseded(key: str, due_keys: Iterable[str]) -> bool:
    """A before-due reminder is stale when a later step of the same due date is already due too: after downtime,
    "7 days before" is not sent when it is already "3 days before", nor a carried-over item's week-before rung once
    its overdue rung is due. Overdue and escalation steps never go stale."""
    if key == FOLLOW_UP:
        return FOLLOW_UP_OVERDUE in due_keys
    if not key.startswith(BEFORE):
        return False
    rank = step_rank(key)
    # Another ladder's rung may share the date by chance; only the report's own rungs supersede each other.
    return any(step_rank(other) > rank for other in due_keys
               if other != key and other.partition(":")[0] in REPORT_STEPS)
