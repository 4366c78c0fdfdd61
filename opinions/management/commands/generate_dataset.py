"""Synthetic data for the benchmarks (issue 6): bodies, committees, meetings over N years, cases of every kind and
status with their items, co-handling bodies, evaluations and audit history, inserted in bulk.

    manage.py generate_dataset --cases 100000 --items-per-case 5 --years 10 --seed 1

Generated cases carry the external reference GEN-nnnnnnn. The command refuses a database holding any other case
unless --force, so invented cases never mix with real ones. Run it again to add more: numbering continues and the
same seed gives the same cases.
"""

import random
import time
from bisect import bisect_right
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from agencies.models import Body, BodyKind, Committee, CommitteeKind, Membership, MembershipRole
from opinions import choices, voting
from opinions.deadlines import add_months, days_left, zh_number
from opinions.demo.loader import load_data
from opinions.models import Case, CaseItem, Evaluation, HistoricalCase_co_bodies, Meeting
from opinions.workflow import CaseStatus, ItemStatus

GENERATED_PREFIX = "GEN-"
REASON = "生成数据（基准测试）"
# Cases per transaction; their items and history rows are built and inserted with them, so memory stays flat.
CHUNK = 2000
CITY = "安阳市"
DEPARTMENTS = [
    "教育局", "公安局", "民政局", "司法局", "人力资源和社会保障局", "自然资源和规划局", "生态环境局",
    "住房和城乡建设局", "交通运输局", "水利局", "农业农村局", "商务局", "文化广电和旅游局", "卫生健康委员会",
    "退役军人事务局", "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局", "城市管理局",
    "科学技术局", "工业和信息化局", "民族宗教事务局", "林业局", "乡村振兴局", "体育局", "信访局",
    "发展和改革委员会", "财政局",
]
OTHER_BODIES = [("人民政府", BodyKind.GOVERNMENT), ("监察委员会", BodyKind.SUPERVISORY_COMMISSION),
                ("中级人民法院", BodyKind.COURT), ("人民检察院", BodyKind.PROCURATORATE)]
TOPICS = [
    "城市污水处理", "义务教育均衡发展", "农村人居环境整治", "大气污染防治", "优化营商环境", "食品药品安全监管",
    "养老服务体系建设", "医疗卫生服务能力提升", "乡村振兴战略实施", "文物保护利用", "安全生产",
    "国有资产管理", "政府债务管理", "全民健身", "科技创新", "就业创业", "城市规划管理", "道路交通安全",
    "水资源保护", "耕地保护", "公共文化服务体系建设", "民族团结进步", "审判执行", "公益诉讼检察",
    "社会救助", "住房保障", "物业管理", "退役军人服务保障", "非物质文化遗产保护", "智慧城市建设",
]
# How often each kind occurs, roughly as in the bulletins: most are opinions on special work reports.
KIND_WEIGHTS = {
    choices.CaseKind.SPECIAL_WORK_REPORT: 30, choices.CaseKind.PLAN_EXECUTION: 8,
    choices.CaseKind.BUDGET_EXECUTION: 8, choices.CaseKind.LAW_ENFORCEMENT_INSPECTION: 12,
    choices.CaseKind.SPECIAL_INQUIRY: 5, choices.CaseKind.WORK_APPRAISAL: 7,
    choices.CaseKind.AUDIT_RECTIFICATION: 15, choices.CaseKind.MOTION: 10, choices.CaseKind.DECISION: 5,
}
ITEM_KIND = {
    choices.CaseKind.AUDIT_RECTIFICATION: choices.ItemKind.AUDIT_PROBLEM,
    choices.CaseKind.WORK_APPRAISAL: choices.ItemKind.PROBLEM,
    choices.CaseKind.LAW_ENFORCEMENT_INSPECTION: choices.ItemKind.RECOMMENDATION,
}
REPORT_TYPE = {
    choices.CaseKind.AUDIT_RECTIFICATION: choices.ReportType.RECTIFICATION_REPORT,
    choices.CaseKind.WORK_APPRAISAL: choices.ReportType.RECTIFICATION_REPORT,
    choices.CaseKind.MOTION: choices.ReportType.HANDLING_REPORT,
}
EVALUATED_KINDS = {choices.CaseKind.SPECIAL_WORK_REPORT, choices.CaseKind.WORK_APPRAISAL,
                   choices.CaseKind.AUDIT_RECTIFICATION}
SESSIONS_PER_YEAR = 6  # a Standing Committee meets about every two months
TERM_YEARS = 5
TERM_15_STARTS = 2022


def generated_cases():
    return Case.objects.filter(external_ref__startswith=GENERATED_PREFIX)


def roll_to_weekday(day: date) -> date:
    """Deadlines falling on a weekend move to Monday (a weekends-only stand-in for the working-day calendar)."""
    return day + timedelta(days=max(0, 7 - day.weekday())) if day.weekday() >= 5 else day


@cache
def history_model(model) -> tuple[type, list[str]]:
    """The model's simple-history model and the columns it copies (`Model.history` builds a manager per access,
    too slow for a million rows)."""
    history = model.history.model
    return history, [field.attname for field in history.tracked_fields]


@contextmanager
def created_at_as_given():
    """bulk_create stamps auto_now_add fields with now; generated cases keep the date they were drafted."""
    field = Case._meta.get_field("created_at")
    field.auto_now_add = False
    try:
        yield
    finally:
        field.auto_now_add = True


class Command(BaseCommand):
    help = "Create a synthetic dataset (bodies, meetings, cases, items, evaluations, history) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=100_000)
        parser.add_argument("--items-per-case", type=int, default=5, help="average number of items per case")
        parser.add_argument("--years", type=int, default=10, help="how many years back the meetings go")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD; default: today")
        parser.add_argument("--force", action="store_true",
                            help="generate even though the database holds cases that were not generated")

    def handle(self, *, cases, items_per_case, years, seed, today, force, **options):
        if not force and Case.objects.exclude(external_ref__startswith=GENERATED_PREFIX).exists():
            raise CommandError("This database holds real cases; generated ones would be mixed with them. "
                               "Use a database of its own, or --force.")
        if cases < 0 or items_per_case < 1 or years < 1:
            raise CommandError("--cases must be 0 or more, --items-per-case and --years 1 or more.")
        started = time.perf_counter()
        generator = Generator(today=today or timezone.localdate(), years=years, seed=seed,
                              items_per_case=items_per_case)
        made = generator.run(cases, progress=self.stdout.write)
        elapsed = time.perf_counter() - started
        self.stdout.write(", ".join(f"{n:,} {what}" for what, n in made.items()) + f" made in {elapsed:.1f} s.")


class Generator:
    def __init__(self, *, today: date, years: int, seed: int, items_per_case: int):
        self.today, self.years, self.seed, self.items_per_case = today, years, seed, items_per_case
        self.made = dict.fromkeys(["bodies", "committees", "meetings", "users", "cases", "co-handling links",
                                   "items", "evaluations", "history rows"], 0)

    # ------------------------------------------------------------ who and when

    def ensure_bodies(self):
        existing = {body.name: body for body in Body.objects.all()}
        government = existing.get(CITY + "人民政府")
        new = [Body(name=CITY + name, short_name="市" + name, kind=kind) for name, kind in OTHER_BODIES
               if CITY + name not in existing]
        created = Body.objects.bulk_create(new)
        government = government or next(b for b in created if b.kind == BodyKind.GOVERNMENT)
        created += Body.objects.bulk_create(
            Body(name=CITY + name, short_name="市" + name, kind=BodyKind.DEPARTMENT, parent=government)
            for name in DEPARTMENTS if CITY + name not in existing)
        self._history(Body, created, when=timezone.now(), update=False)
        self.made["bodies"] = len(created)
        self.bodies = list(Body.objects.filter(is_active=True).order_by("pk"))
        self.government = government
        self.departments = [b for b in self.bodies if b.kind == BodyKind.DEPARTMENT] or self.bodies
        self.others = [b for b in self.bodies if b.kind not in (BodyKind.DEPARTMENT, BodyKind.GOVERNMENT)]

    def ensure_committees(self):
        existing = set(Committee.objects.values_list("name", flat=True))
        created = Committee.objects.bulk_create(
            Committee(name=row["name"], short_name=row["short_name"], kind=row["kind"])
            for row in load_data()["committees"] if row["name"] not in existing)
        self._history(Committee, created, when=timezone.now(), update=False)
        self.made["committees"] = len(created)
        committees = list(Committee.objects.filter(is_active=True).order_by("pk"))
        self.supervising = [c for c in committees if c.kind in (CommitteeKind.WORKING, CommitteeKind.SPECIAL)]
        self.budget = [c for c in self.supervising if "预算" in c.name or "财" in c.name] or self.supervising
        self.appraisal = [c for c in committees if c.kind == CommitteeKind.APPRAISAL_GROUP] or self.supervising

    def ensure_meetings(self):
        """Six Standing Committee meetings a year, numbered within five-year terms as the bulletins number them."""
        wanted = {}
        for year in range(self.today.year - self.years + 1, self.today.year + 1):
            term = 15 + (year - TERM_15_STARTS) // TERM_YEARS
            term_start = TERM_15_STARTS + (term - 15) * TERM_YEARS
            for slot in range(SESSIONS_PER_YEAR):
                start = date(year, 2 * slot + 2, 25)
                if start <= self.today:
                    session = (year - term_start) * SESSIONS_PER_YEAR + slot + 1
                    wanted[(choices.MeetingKind.SC_MEETING, term, session)] = start
        existing = {(m.kind, m.term, m.session) for m in Meeting.objects.all()}
        created = Meeting.objects.bulk_create(
            Meeting(kind=kind, term=term, session=session, start_date=start, end_date=start + timedelta(days=1))
            for (kind, term, session), start in wanted.items() if (kind, term, session) not in existing)
        self._history(Meeting, created, when=timezone.now(), update=False)
        self.made["meetings"] = len(created)
        first = self.today.replace(year=self.today.year - self.years + 1, month=1, day=1)
        self.meetings = list(Meeting.objects.filter(kind=choices.MeetingKind.SC_MEETING, start_date__gte=first,
                                                    start_date__lte=self.today).order_by("start_date"))
        if not self.meetings:
            raise CommandError("No Standing Committee meeting falls in the years asked for.")
        self.meeting_dates = [m.start_date for m in self.meetings]

    def ensure_users(self):
        """A liaison for every body and a staff member for every committee that has none, and one leader."""
        User = get_user_model()
        memberships = Membership.objects.filter(is_active=True)
        with_liaison = set(memberships.filter(role=MembershipRole.LIAISON).values_list("body_id", flat=True))
        with_staff = set(memberships.filter(role=MembershipRole.STAFF).values_list("committee_id", flat=True))
        wanted = [(f"gen_liaison_{b.pk}", MembershipRole.LIAISON, {"body": b})
                  for b in self.bodies if b.pk not in with_liaison]
        wanted += [(f"gen_staff_{c.pk}", MembershipRole.STAFF, {"committee": c})
                   for c in {*self.supervising, *self.appraisal} if c.pk not in with_staff]
        if not memberships.filter(role=MembershipRole.LEADER).exists():
            wanted.append(("gen_leader", MembershipRole.LEADER, {}))
        users = []
        for username, _role, _scope in wanted:
            user = User(username=username, first_name="生成用户")
            user.set_unusable_password()
            users.append(user)
        users = User.objects.bulk_create(users)
        created = Membership.objects.bulk_create(
            Membership(user=user, role=role, **scope) for user, (_name, role, scope) in zip(users, wanted, strict=True))
        self._history(Membership, created, when=timezone.now(), update=False)
        self.made["users"] = len(users)
        self.staff_of = {}
        for membership in Membership.objects.filter(role=MembershipRole.STAFF, is_active=True).order_by("pk"):
            self.staff_of.setdefault(membership.committee_id, membership.user_id)

    # ------------------------------------------------------------ cases

    def run(self, count: int, progress=None) -> dict:
        self.ensure_bodies()
        self.ensure_committees()
        self.ensure_meetings()
        self.ensure_users()
        first = generated_cases().count()
        for start in range(first, first + count, CHUNK):
            size = min(CHUNK, first + count - start)
            with transaction.atomic(), created_at_as_given():
                self.make_chunk(start, size)
            if progress and (start - first) // CHUNK % 10 == 9:
                progress(f"  {start + size - first:,} of {count:,} cases…")
        return self.made

    def make_chunk(self, start: int, size: int):
        plans = [self.plan_case(n) for n in range(start, start + size)]
        cases = Case.objects.bulk_create([plan.case for plan in plans])
        for plan in plans:
            plan.co_links = [Case.co_bodies.through(case_id=plan.case.pk, body_id=body.pk) for body in plan.co_bodies]
        co_links = Case.co_bodies.through.objects.bulk_create([link for plan in plans for link in plan.co_links])
        items = CaseItem.objects.bulk_create([item for plan in plans for item in plan.items])
        evaluations = Evaluation.objects.bulk_create([plan.evaluation for plan in plans if plan.evaluation])
        self.made["cases"] += len(cases)
        self.made["co-handling links"] += len(co_links)
        self.made["items"] += len(items)
        self.made["evaluations"] += len(evaluations)
        self.case_history(plans)
        self.item_history(plans)
        self.made["history rows"] += len(history_model(Evaluation)[0].objects.bulk_create([
            self._history_row(Evaluation, e, when=e.recorded_at, user_id=e.recorded_by_id, update=False)
            for e in evaluations]))

    def plan_case(self, n: int) -> "Plan":
        # A generator per case, seeded by its number: adding 90,000 cases to 10,000 makes the same ones as
        # generating 100,000 at once.
        rng = self.rng = random.Random(f"{self.seed}:{n}")
        kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
        meeting = None
        if kind == choices.CaseKind.MOTION:  # motions come from the annual session, not a committee meeting
            span = (self.today - self.meeting_dates[0]).days
            drafted = self.meeting_dates[0] + timedelta(days=rng.randrange(span + 1))
        else:
            meeting = rng.choice(self.meetings)
            drafted = meeting.last_date + timedelta(days=rng.randint(1, 6))
        if kind == choices.CaseKind.WORK_APPRAISAL:
            lead, supervising = rng.choice(self.departments), rng.choice(self.appraisal)
        else:
            roll = rng.random()
            lead = (self.government if roll < 0.35 or not self.others else
                    rng.choice(self.others) if roll < 0.42 else rng.choice(self.departments))
            budget = kind in (choices.CaseKind.BUDGET_EXECUTION, choices.CaseKind.AUDIT_RECTIFICATION)
            supervising = rng.choice(self.budget if budget else self.supervising)
        topic = rng.choice(TOPICS)
        year = drafted.year
        case = Case(
            kind=kind, title=f"关于{year}年{topic}工作情况报告的审议意见（{n + 1}）",
            doc_number=f"安人常办〔{year}〕{n % 997 + 1}号", meeting=meeting,
            source_report_title=f"关于{topic}工作情况的报告", lead_body=lead, supervising_committee=supervising,
            deadline_rule="months:3", report_type=REPORT_TYPE.get(kind, choices.ReportType.WRITTEN_REPORT),
            opinion_text=(f"{lead.name}：\n常委会组成人员认为，{topic}工作取得了积极成效，同时也存在一些问题和不足。"
                          f"现提出以下审议意见，请认真研究处理，并在三个月内向市人大常委会提出书面报告。"),
            external_ref=f"{GENERATED_PREFIX}{n:07d}", created_by_id=self.staff_of.get(supervising.pk),
            created_at=self.moment(drafted),
        )
        plan = Plan(case=case, co_bodies=[], drafted=drafted)
        if lead != self.government and rng.random() < 0.25:
            plan.co_bodies = rng.sample([b for b in self.departments if b != lead], k=rng.randint(1, 2))
        self.settle(plan)
        plan.items = self.plan_items(plan)
        plan.evaluation = self.plan_evaluation(plan)
        return plan

    def settle(self, plan: "Plan"):
        """Where the case stands today, with every date its status implies and none after today."""
        rng, case, today = self.rng, plan.case, self.today
        issued = plan.drafted + timedelta(days=rng.randint(3, 15))
        if issued > today or ((today - plan.drafted).days < 40 and rng.random() < 0.3):
            plan.last_change = plan.drafted
            return  # still a draft: no dates, no due date
        case.issued_date = issued
        received = issued + timedelta(days=rng.randint(1, 5))
        case.due_date = case.original_due_date = roll_to_weekday(add_months(min(received, today), 3))
        if received > today:
            case.status = CaseStatus.ISSUED
            plan.last_change = issued
            return
        case.received_date = received
        status = self.status_by_age(case.due_date)
        if status == CaseStatus.WITHDRAWN:
            case.status, plan.last_change = status, received + timedelta(days=rng.randint(1, 30))
            plan.last_change = min(plan.last_change, today)
            return
        if status in (CaseStatus.IN_PROGRESS, CaseStatus.IN_CONSULTATION):
            case.status, plan.last_change = status, min(received + timedelta(days=rng.randint(5, 60)), today)
            if case.due_date < today - timedelta(days=10) and rng.random() < 0.7:
                case.escalated_on = case.due_date + timedelta(days=8)  # 通报 after five working days overdue
                plan.last_change = max(plan.last_change, case.escalated_on)
                if rng.random() < 0.2:
                    case.further_supervision = rng.choice(choices.FurtherSupervision.values)
                    case.further_supervision_on = min(case.escalated_on + timedelta(days=20), today)
                    plan.last_change = max(plan.last_change, case.further_supervision_on)
            return
        on_time = rng.random() < 0.8
        submitted = (case.due_date - timedelta(days=rng.randint(0, 40)) if on_time
                     else case.due_date + timedelta(days=rng.randint(1, 60)))
        case.submitted_date = min(max(submitted, received + timedelta(days=7)), today)
        closed = case.submitted_date + timedelta(days=rng.randint(20, 120))
        if status == CaseStatus.CLOSED and closed > today:
            status = CaseStatus.ACCEPTED
        case.status = status
        if status == CaseStatus.CLOSED:
            case.closed_date = closed
            case.is_public = rng.random() < 0.6
        plan.last_change = case.closed_date or min(case.submitted_date + timedelta(days=10), today)

    def status_by_age(self, due: date) -> str:
        """Recent cases are mostly in hand; a year on, nearly all are closed and a few have run overdue."""
        days_past_due = -days_left(due, self.today)
        if days_past_due < 0:
            table = {CaseStatus.IN_PROGRESS: 70, CaseStatus.IN_CONSULTATION: 10, CaseStatus.SUBMITTED: 15,
                     CaseStatus.ACCEPTED: 5}
        elif days_past_due < 180:
            table = {CaseStatus.IN_PROGRESS: 15, CaseStatus.SUBMITTED: 20, CaseStatus.ACCEPTED: 20,
                     CaseStatus.CLOSED: 45}
        else:
            table = {CaseStatus.CLOSED: 94, CaseStatus.IN_PROGRESS: 1.5, CaseStatus.ACCEPTED: 2,
                     CaseStatus.SUBMITTED: 1, CaseStatus.WITHDRAWN: 1.5}
        return self.rng.choices(list(table), weights=list(table.values()))[0]

    def plan_items(self, plan: "Plan") -> list[CaseItem]:
        rng, case = self.rng, plan.case
        count = rng.randint(max(1, self.items_per_case - 2), self.items_per_case + 2)
        item_kind = ITEM_KIND.get(case.kind, choices.ItemKind.OPINION)
        statuses = ITEM_STATUSES[case.status]
        items = []
        for number in range(1, count + 1):
            status = rng.choices(list(statuses), weights=list(statuses.values()))[0]
            item = CaseItem(case=case, number=number, kind=item_kind, status=status,
                            heading=f"{zh_number(number)}、加强{rng.choice(TOPICS)}工作。",
                            text="针对审议中指出的问题，明确责任单位和完成时限，逐项整改到位。")
            if status != ItemStatus.NOT_STARTED:
                item.measures = "已制定整改方案，明确责任人和完成时限。"
                item.progress_note = "按计划推进。" if status == ItemStatus.IN_PROGRESS else "已完成整改。"
            if item_kind == choices.ItemKind.AUDIT_PROBLEM:
                item.amount = Decimal(f"{rng.lognormvariate(4, 1.2):.2f}")
                share = RECTIFIED_SHARE.get(status)
                if share is not None:
                    item.rectified_amount = (item.amount * Decimal(f"{rng.uniform(*share):.4f}")).quantize(
                        Decimal("0.01"))
            items.append(item)
        return items

    def plan_evaluation(self, plan: "Plan") -> Evaluation | None:
        case, rng = plan.case, self.rng
        if case.kind not in EVALUATED_KINDS or case.status not in (CaseStatus.ACCEPTED, CaseStatus.CLOSED):
            return None
        if rng.random() >= 0.4:
            return None
        index = bisect_right(self.meeting_dates, case.submitted_date)
        if index == len(self.meetings) or self.meeting_dates[index] > self.today:
            return None
        entitled = rng.randint(35, 45)
        cast = entitled - rng.randint(0, 5)
        mood = rng.random()  # about 5 % 不满意, 20 % 基本满意
        satisfied_share = 0.2 if mood < 0.05 else 0.4 if mood < 0.25 else 0.8
        satisfied = round(cast * satisfied_share)
        basically = round((cast - satisfied) * (0.3 if mood < 0.05 else 0.6))
        dissatisfied = cast - satisfied - basically
        meeting = self.meetings[index]
        return Evaluation(case=case, meeting=meeting, entitled_to_vote=entitled, satisfied=satisfied,
                          basically_satisfied=basically, dissatisfied=dissatisfied,
                          result=voting.evaluation_result(entitled=entitled, satisfied=satisfied,
                                                          basically_satisfied=basically, dissatisfied=dissatisfied),
                          follow_up="请于下次常委会会议再次报告。" if mood < 0.05 else "",
                          recorded_by_id=case.created_by_id, recorded_at=self.moment(meeting.start_date, hour=16))

    # ------------------------------------------------------------ history

    def case_history(self, plans: list["Plan"]):
        """A "+" row as drafted and, for cases that went further, a "~" row with where they stand today: the
        timeline shows the step, and the ledger's "last updated" is the day of the last change."""
        rows = []
        for plan in plans:
            case = plan.case
            draft = self._history_row(Case, case, when=case.created_at, user_id=case.created_by_id, update=False)
            for name in ("issued_date", "received_date", "due_date", "original_due_date", "submitted_date",
                         "closed_date", "escalated_on", "further_supervision_on"):
                setattr(draft, name, None)
            draft.status, draft.is_public, draft.further_supervision = CaseStatus.DRAFT, False, ""
            rows.append((plan, draft))
            if case.status != CaseStatus.DRAFT:
                rows.append((plan, self._history_row(Case, case, when=self.moment(plan.last_change, hour=15),
                                                     user_id=case.created_by_id, update=True)))
        created = history_model(Case)[0].objects.bulk_create([row for _plan, row in rows])
        m2m = HistoricalCase_co_bodies.objects.bulk_create(
            HistoricalCase_co_bodies(history=row, id=link.pk, case_id=link.case_id, body_id=link.body_id)
            for (plan, _row), row in zip(rows, created, strict=True) for link in plan.co_links)
        self.made["history rows"] += len(created) + len(m2m)

    def item_history(self, plans: list["Plan"]):
        rows = []
        for plan in plans:
            for item in plan.items:
                first = self._history_row(CaseItem, item, when=plan.case.created_at,
                                          user_id=plan.case.created_by_id, update=False)
                first.status, first.rectified_amount, first.measures, first.progress_note = (
                    ItemStatus.NOT_STARTED, None, "", "")
                rows.append(first)
                if item.status != ItemStatus.NOT_STARTED:
                    rows.append(self._history_row(CaseItem, item, when=self.moment(plan.last_change, hour=14),
                                                  user_id=plan.case.created_by_id, update=True))
        self.made["history rows"] += len(history_model(CaseItem)[0].objects.bulk_create(rows, batch_size=5000))

    @staticmethod
    def _history_row(model, instance, *, when: datetime, user_id: int | None, update: bool):
        history, attnames = history_model(model)
        return history(history_date=when, history_user_id=user_id, history_change_reason=REASON,
                       history_type="~" if update else "+", **{name: getattr(instance, name) for name in attnames})

    def _history(self, model, instances, *, when: datetime, update: bool):
        rows = history_model(model)[0].objects.bulk_create(
            [self._history_row(model, i, when=when, user_id=None, update=update) for i in instances])
        self.made["history rows"] += len(rows)

    @staticmethod
    def moment(day: date, hour: int = 10) -> datetime:
        return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


class Plan:
    """A case being generated, with what goes with it until it is inserted."""

    def __init__(self, *, case: Case, co_bodies: list[Body], drafted: date):
        self.case, self.co_bodies, self.drafted = case, co_bodies, drafted
        self.items: list[CaseItem] = []
        self.evaluation: Evaluation | None = None
        self.co_links: list = []
        self.last_change = drafted


# Items follow their case: a closed case's items are verified (or carried over), a fresh one's not started.
ITEM_STATUSES = {
    CaseStatus.DRAFT: {ItemStatus.NOT_STARTED: 1},
    CaseStatus.ISSUED: {ItemStatus.NOT_STARTED: 1},
    CaseStatus.WITHDRAWN: {ItemStatus.NOT_STARTED: 1},
    CaseStatus.IN_PROGRESS: {ItemStatus.NOT_STARTED: 30, ItemStatus.IN_PROGRESS: 50, ItemStatus.DONE: 20},
    CaseStatus.IN_CONSULTATION: {ItemStatus.IN_PROGRESS: 60, ItemStatus.DONE: 40},
    CaseStatus.SUBMITTED: {ItemStatus.DONE: 80, ItemStatus.IN_PROGRESS: 10, ItemStatus.CARRIED_OVER: 10},
    CaseStatus.ACCEPTED: {ItemStatus.DONE: 50, ItemStatus.CLOSED: 40, ItemStatus.CARRIED_OVER: 10},
    CaseStatus.CLOSED: {ItemStatus.CLOSED: 90, ItemStatus.CARRIED_OVER: 10},
}
# Share of an audit problem's amount rectified so far, by the item's status.
RECTIFIED_SHARE = {
    ItemStatus.IN_PROGRESS: (0.0, 0.5),
    ItemStatus.DONE: (0.8, 1.0),
    ItemStatus.CARRIED_OVER: (0.3, 0.9),
    ItemStatus.CLOSED: (1.0, 1.0),
}
