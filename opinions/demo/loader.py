"""Demo data: the real Anyang cases of anyang.json, plus clearly marked demo follow-up.

What the bulletins say is loaded as it is (texts, names, dates and the intervals between them). What happened
after the bulletins is not in them; for a live-looking demo the 2024 meetings are shifted by whole weeks so that
the 12th session lies a few weeks before today, and a scripted follow-up — every step marked 【演示】 and run
through the same services users call — shows overdue, due-soon, in-consultation, returned and closed cases.
Idempotent: bodies, committees, meetings and users are matched by natural keys, cases by their seed key, and a
case that exists is never touched again.
"""

import json
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from agencies.models import Body, Committee, Membership, MembershipRole

from .. import services
from ..calendar_seed import known_years
from ..choices import CalendarSource, ReportKind
from ..models import CalendarDay, Case, CaseItem, Meeting
from ..rules import default_rule_text
from ..workflow import SignoffBy
from .audit import AuditDemo
from .script import DEMO_MARK, DEMO_RULE_REASON, FOLLOW_UP
from .signoff import issue_signed

DATA_FILE = Path(__file__).with_name("anyang.json")
DEMO_PASSWORD = "npc-demo-2026"
SHIFTED_YEAR = 2024
# The 12th session of 2024 is placed this many days (rounded down to whole weeks) before today.
TWELFTH_SESSION_DAYS_BEFORE_TODAY = 63


def load_data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def shift_days(today: date, anchor: date) -> int:
    """Whole weeks, so that every shifted date keeps its weekday (working days stay working days)."""
    return 7 * ((today - timedelta(days=TWELFTH_SESSION_DAYS_BEFORE_TODAY) - anchor).days // 7)


class DemoLoader:
    def __init__(self, *, today: date, out=None):
        self.today = today
        self.out = out
        self.data = load_data()
        twelfth = next(m for m in self.data["meetings"] if m["start_date"].startswith(str(SHIFTED_YEAR))
                       and m["session"] == max(x["session"] for x in self.data["meetings"]
                                               if x["start_date"].startswith(str(SHIFTED_YEAR))))
        self.offset = timedelta(days=shift_days(today, date.fromisoformat(twelfth["start_date"])))
        self.bodies: dict[str, Body] = {}
        self.committees: dict[str, Committee] = {}
        self.meetings: dict[str, Meeting] = {}
        self.users: dict[str, object] = {}
        self.created_cases = 0

    # ------------------------------------------------------------ dates

    def signers(self) -> dict:
        return {SignoffBy.OFFICE: self.users["director"], SignoffBy.LEADER: self.users["leader"]}

    def shifted(self, iso: str | None) -> date | None:
        if not iso:
            return None
        day = date.fromisoformat(iso)
        return day + self.offset if day.year == SHIFTED_YEAR else day

    def moment(self, day: date, hour: int = 10) -> datetime:
        return timezone.make_aware(datetime.combine(min(day, self.today), time(hour)))

    # ------------------------------------------------------------ reference data

    def load(self) -> dict:
        with transaction.atomic():
            self.ensure_demo_calendar()
            self.load_bodies()
            self.load_committees()
            self.load_meetings()
            self.load_users()
        self.audit = AuditDemo(self)
        for case_data in self.data["cases"]:
            if not Case.objects.filter(external_ref=case_data["key"]).exists():
                with transaction.atomic():
                    self.load_case(case_data)
                self.created_cases += 1
        with transaction.atomic():
            audit_case = Case.objects.get(external_ref=self.audit.data["case_key"])
            if self.audit.load_earlier_year(audit_case, self.users["gov_liaison1"]) is not None:
                self.created_cases += 1
            self.audit.confirm_repeats()
        return {"cases_created": self.created_cases, "offset_days": self.offset.days}

    def ensure_demo_calendar(self):
        """The demo's shifted dates may reach a year chinese-calendar does not know; give such years a calendar of
        weekends only, marked as demo data — a real installation enters the State Council's schedule instead."""
        known = set(known_years())
        for year in range(self.today.year - 1, self.today.year + 2):
            if year in known or CalendarDay.objects.filter(date__year=year).exists():
                continue
            day, rows = date(year, 1, 1), []
            while day.year == year:
                rows.append(CalendarDay(date=day, is_workday=day.weekday() < 5, source=CalendarSource.DEMO,
                                        note="演示：仅周末，非国务院公布安排"))
                day += timedelta(days=1)
            CalendarDay.objects.bulk_create(rows)

    def load_bodies(self):
        for row in self.data["bodies"]:
            body, _ = Body.objects.get_or_create(
                name=row["name"], defaults={"short_name": row["short_name"], "kind": row["kind"]})
            self.bodies[row["key"]] = body
        for row in self.data["bodies"]:
            if row.get("parent") and self.bodies[row["key"]].parent_id is None:
                body = self.bodies[row["key"]]
                body.parent = self.bodies[row["parent"]]
                body.save(update_fields=["parent"])

    def load_committees(self):
        for row in self.data["committees"]:
            committee, _ = Committee.objects.get_or_create(
                name=row["name"], defaults={"short_name": row["short_name"], "kind": row["kind"]})
            self.committees[row["key"]] = committee

    def load_meetings(self):
        for row in self.data["meetings"]:
            start = self.shifted(row["start_date"])
            note = ""
            if row["start_date"].startswith(str(SHIFTED_YEAR)) and self.offset:
                note = f"{DEMO_MARK}原会议日期 {row['start_date']}，为演示平移 {self.offset.days // 7} 周"
            if row.get("members"):
                note = "；".join(filter(None, [note, f"{DEMO_MARK}组成人员数为估计值，出席人数见公报"]))
            meeting, _ = Meeting.objects.get_or_create(
                kind=row["kind"], term=row["term"], session=row["session"],
                defaults={"start_date": start, "end_date": self.shifted(row.get("end_date")), "note": note,
                          "members": row.get("members"), "present": row.get("present")})
            self.meetings[row["key"]] = meeting

    def load_users(self):
        User = get_user_model()
        # One hash for every demo account: PBKDF2 per user would add seconds to each start, for no security gain.
        password = make_password(DEMO_PASSWORD)

        def user(username, full_name, *, superuser=False):
            account, created = User.objects.get_or_create(
                username=username, defaults={"first_name": full_name, "is_staff": superuser,
                                             "is_superuser": superuser})
            if created:
                account.password = password
                account.save(update_fields=["password"])
            self.users[username] = account
            return account

        def member(account, role, *, committee=None, body=None):
            Membership.objects.get_or_create(user=account, role=role, committee=committee, body=body)

        member(user("admin", "系统管理员（演示）", superuser=True), MembershipRole.ADMIN)
        member(user("leader", "秘书长（演示）"), MembershipRole.LEADER)
        office = next(c for c in self.committees.values() if c.kind == "office")
        member(user("office", "办公室干部（演示）"), MembershipRole.STAFF, committee=office)
        # Signs off (审签) the drafts, as the seeded rule sets ask.
        member(user("director", "办公室主任（演示）"), MembershipRole.STAFF, committee=office)
        supervising = {case.get("supervising_committee") for case in self.data["cases"]} | {
            case.get("consulted_committee") for case in self.data["cases"]}
        for key in sorted(k for k in supervising if k):
            committee = self.committees[key]
            member(user(f"staff_{key}", f"{committee.short_name or committee.name}干部（演示）"),
                   MembershipRole.STAFF, committee=committee)
        for username, key in LIAISONS:
            if key in self.bodies:
                body = self.bodies[key]
                member(user(username, f"{body.short_name or body.name}联络员（演示）"), MembershipRole.LIAISON,
                       body=body)

    # ------------------------------------------------------------ cases

    def load_case(self, data: dict):
        script = FOLLOW_UP.get(data["key"], {})
        kind = data["kind"]
        default = default_rule_text(kind)
        rule, reason = data.get("deadline_rule") or "", ""
        if rule.startswith("date:") and rule[5:9] == str(SHIFTED_YEAR):
            # "今年 12 月份": keep the meaning when the year is shifted. The audit rectification report is heard at
            # the December session, which its rule set counts back from (issue 14 §2).
            rule = default if kind == "audit_rectification" else "year_end"
        if "rule" in script:
            rule, reason = script["rule"], DEMO_RULE_REASON
        elif not rule:
            rule = default
        elif rule != default:
            reason = "意见原文所定期限"
        refs = {"drafting_committee": data.get("drafting_committee"),
                "supervising_committee": data.get("supervising_committee"),
                "consulted_committee": data.get("consulted_committee"), **script.get("set", {})}
        meeting = None if script.get("no_meeting") else self.meetings.get(data.get("meeting") or "")
        source = f"安阳市人大常委会公报 {data.get('source_ref', '')}"
        if meeting and meeting.note:
            source += f"；{DEMO_MARK}会议日期已平移 {self.offset.days // 7} 周"
        created = self.creation_day(data, meeting)
        case = services.case_create(
            actor=self.users["office"],
            at=self.moment(created, hour=9),
            kind=kind,
            title=data["title"],
            doc_number=data.get("doc_number") or "",
            meeting=meeting,
            source_report_title=data.get("source_report_title") or "",
            reporter_name=data.get("reporter_name") or "",
            reporter_position=data.get("reporter_position") or "",
            lead_body=self.bodies[data["lead_body"]],
            deadline_rule=rule,
            deadline_rule_reason=reason,
            deadline_quote=data.get("deadline_quote") or "",
            report_type=data.get("report_type") or "",
            opinion_text=data.get("opinion_text") or "",
            source_note=source[:300],
            external_ref=data["key"],
            co_bodies=[self.bodies[key] for key in data.get("co_bodies", [])],
            # The audit case's items are its problems, one per problem of the bulletin (opinions/demo/audit.py).
            items=[] if self.audit.is_audit_case(data["key"]) else [
                {"heading": item["heading"][:500], "text": item.get("text", ""), "kind": item.get("kind") or "opinion",
                 "amount": Decimal(item["amount"]) if item.get("amount") else None,
                 "responsible_body": self.bodies.get(item.get("responsible_body") or "")}
                for item in data.get("items", [])],
            reason="导入自安阳市人大常委会公报",
            **{name: self.committees[key] for name, key in refs.items() if key},
        )
        if self.audit.is_audit_case(data["key"]):
            self.audit.load_problems(case, self.moment(created, hour=10))
        steps = script.get("steps", [])
        if data.get("issued_date"):
            steps = [("issue", data["issued_date"]), *steps]
        FollowUp(self, case, data).run(steps)


    def creation_day(self, data: dict, meeting) -> date:
        """Drafted right after the meeting (or before the bulletin's issue date) so the timeline reads in order."""
        if data.get("issued_date"):
            return date.fromisoformat(data["issued_date"]) - timedelta(days=1)
        first_step = next(iter(FOLLOW_UP.get(data["key"], {}).get("steps", [])), None)
        if first_step and isinstance(first_step[1], str):
            return self.shifted(first_step[1]) - timedelta(days=1)
        return meeting.last_date if meeting else self.today


LIAISONS = [
    ("gov_liaison1", "city_gov"),
    ("gov_liaison2", "city_gov"),
    ("fgw_liaison", "fgw"),
    ("finance_liaison", "finance"),
    ("audit_liaison", "audit"),
    ("court_liaison", "court"),
    ("procuratorate_liaison", "procuratorate"),
    ("emergency_liaison", "emergency"),
]


class FollowUp:
    """Replays one case's follow-up through the services, each step at its own (past) moment."""

    def __init__(self, loader: DemoLoader, case: Case, data: dict):
        self.loader = loader
        self.case = case
        self.data = data
        self.liaison = next((loader.users[name] for name, key in LIAISONS
                             if loader.bodies.get(key) == case.lead_body), None)
        committee = case.supervising_committee or case.consulted_committee or case.drafting_committee
        key = next((k for k, c in loader.committees.items() if c == committee), None)
        self.staff = loader.users.get(f"staff_{key}") or loader.users["office"]

    def run(self, steps):
        for name, when, *args in steps:
            day = self.day(when)
            getattr(self, f"step_{name}")(day, self.loader.moment(day), *args)
            self.case.refresh_from_db()

    def day(self, when) -> date:
        if isinstance(when, str):
            return self.loader.shifted(when)
        return min(self.case.meeting.last_date + timedelta(days=when), self.loader.today)

    def items(self, count=None, **status):
        items = CaseItem.objects.filter(case=self.case, **status).order_by("number")
        return items[:count] if count else items

    def step_issue(self, day, at):
        reason = "" if self.data.get("issued_date") else f"{DEMO_MARK}公报未载明交办日期"
        issue_signed(self.case, actor=self.staff, signers=self.loader.signers(), issued_date=day, reason=reason,
                     at=at)

    def step_ack(self, day, at):
        if self.liaison is not None:  # bodies without a demo liaison leave the case waiting for receipt
            services.case_acknowledge(case=self.case, actor=self.liaison, received_date=day, at=at)

    def step_progress(self, day, at, count=None):
        note = f"{DEMO_MARK}已制定工作方案，明确责任单位和完成时限。"
        for item in self.items(count).select_related("audit"):
            if hasattr(item, "audit"):
                # An audit problem's money is partly paid back by the first report (a demo figure: half of it).
                half = (item.amount / 2).quantize(Decimal("0.01")) if item.amount is not None else None
                services.audit_problem_report(problem=item.audit, actor=self.liaison, at=at, progress_note=note,
                                              ways={"paid_to_treasury": half})
            else:
                services.item_report_progress(item=item, actor=self.liaison, at=at, progress_note=note)

    def step_interim_audit(self, day, at):
        self.loader.audit.interim_report(self.case, self.liaison, at)

    def step_done(self, day, at, count=None):
        for item in self.items(count, status="in_progress"):
            services.item_mark_done(item=item, actor=self.liaison, at=at,
                                    measures=f"{DEMO_MARK}已按审议意见落实整改措施，形成制度性成果。")

    def step_verify(self, day, at, count=None):
        for item in self.items(count, status="done"):
            services.item_verify(item=item, actor=self.staff, note=f"{DEMO_MARK}经核实，同意销号。", at=at)

    def step_carry_over(self, day, at, next_report):
        for item in self.items().exclude(status__in=["closed", "carried_over"]):
            services.item_carry_over(item=item, actor=self.staff, at=at,
                                     next_report_date=self.loader.shifted(next_report),
                                     reason="结案后继续做好“下半篇文章”，建立落实长效机制（持续整改）")

    def step_consult(self, day, at):
        services.report_submit(case=self.case, actor=self.liaison, kind=ReportKind.CONSULTATION_DRAFT, at=at,
                               title=f"{DEMO_MARK}研究处理情况报告（征求意见稿）",
                               text=f"{DEMO_MARK}根据审议意见，现将研究处理情况报告如下（征求意见稿）。")

    def step_comment(self, day, at):
        services.consultation_comment(case=self.case, actor=self.staff, at=at,
                                      comment=f"{DEMO_MARK}请补充各项措施的完成时限和量化指标。")

    def step_report(self, day, at):
        real = (self.data.get("reports") or [None])[0]
        if real:
            title, text = real["title"], real["text"]
        else:
            title = f"{DEMO_MARK}关于审议意见研究处理情况的报告"
            text = f"{DEMO_MARK}现将审议意见研究处理情况报告如下：……"
        services.report_submit(case=self.case, actor=self.liaison or self.staff, kind=ReportKind.FINAL,
                               title=title, text=text, at=at)

    def step_return(self, day, at):
        services.report_return(case=self.case, actor=self.staff, at=at,
                               reason=f"{DEMO_MARK}报告未逐条回应审议意见，请补充整改成效和数据后重新报送。")

    def step_accept(self, day, at):
        services.report_accept(case=self.case, actor=self.staff, comment=f"{DEMO_MARK}报告符合要求。", at=at)

    def step_evaluate(self, day, at, satisfied, basic, dissatisfied, follow_up=(), next_report=None):
        # The sessions that voted are not in the bulletins, so no meeting is named: the rule set counts votes cast.
        services.evaluation_record(case=self.case, actor=self.staff, at=at, meeting=None,
                                   entitled_to_vote=satisfied + basic + dissatisfied + 3, satisfied=satisfied,
                                   basically_satisfied=basic, dissatisfied=dissatisfied, follow_up="\n".join(follow_up),
                                   next_report_date=self.loader.shifted(next_report))

    def step_close(self, day, at):
        services.case_close(case=self.case, actor=self.staff, at=at, reason=f"{DEMO_MARK}经主任会议同意办结")

    def step_extension(self, day, at, extra_days):
        extension = services.extension_request(
            case=self.case, actor=self.liaison, requested_date=self.case.due_date + timedelta(days=extra_days),
            reason=f"{DEMO_MARK}涉及多个部门协调，需延长办理时间。", at=at)
        services.extension_decide(extension=extension, actor=self.loader.users["leader"], approve=True,
                                  comment=f"{DEMO_MARK}主任会议同意延期。", at=at + timedelta(days=3))

    def step_further(self, day, at, measure):
        services.case_decide_further_supervision(case=self.case, actor=self.loader.users["leader"], measure=measure,
                                                 reason=f"{DEMO_MARK}主任会议研究决定", at=at)
