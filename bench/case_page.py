"""Benchmark: long reports on the case page (issue 11 §3). Prints figures; asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/case_page.py [--runs 15]

Works in its own database (npc_bench_case_page, dropped and re-created), so it never touches real data. For each
scenario, one case with three reports submitted one after the other through the service (`report_submit`, which
diffs each new report against the one before it, once):
  1. the time of each submission, and within it the time of the diff alone (the same textdiff.diff call on the
     same texts), with the size of the stored diff;
  2. GET of the case page (as committee staff, through django.test.Client in this process): median time over
     --runs after one warm-up, and the most queries any run made; the same for the side-by-side page of the last
     report.
Each time is given twice: wall clock, and the CPU time of this process (time.process_time, which leaves out the
database server's share but also the waiting when other work shares the machine: the load average is printed).
Scenarios: 3 × 40,000-character Chinese reports with scattered edits (a long real report), the same as one single
paragraph, three completely different texts, three different single paragraphs with no sentence end, and a pair
over textdiff.MAX_CHARS. Then the worst case of the diff alone: inputs built to spend the whole work budget
(textdiff.MAX_WORK) in as few, as costly searches as possible, over a range of sizes; the slowest is reported.
A markdown table ends the output.
"""

import argparse
import os
import random
import re
import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Words of a rectification report (整改报告), so that characters repeat as often as in real Chinese prose.
VOCABULARY = ("我市 各级 政府 部门 认真 贯彻 落实 市人大常委会 审议意见 整改 工作 进一步 加强 推进 完善 制度 机制 建设 "
         "资金 项目 管理 监督 预算 执行 绩效 评价 审计 查出 问题 已经 完成 正在 持续 深化 改革 提高 效率 服务 群众 "
         "生态 环境 保护 污染 防治 河道 治理 教育 医疗 养老 就业 住房 交通 基础设施 专项 债券 使用 规范 依法 依规 "
         "责任 落实到位 截至 目前 共计 万元 个 项 次 同比 增长 下降 百分点 年度 季度 重点 任务 清单 台账 销号 长效 "
         "健全 考核 问责 通报 督查 检查 调研 座谈 协调 联动 信息 公开 透明 数字化 平台 系统 数据 共享 安全 风险 "
         "防范 化解 隐患 排查 应急 处置 能力 水平 质量 标准 规划 编制 实施 方案 措施 举措 成效 明显 显著 基本 全面")
WORDS = VOCABULARY.split()
NUMERALS = "一二三四五六七八九十"


def sentence(rng: random.Random) -> str:
    text = "".join(rng.choice(WORDS) for _ in range(rng.randint(6, 16)))
    if rng.random() < 0.4:
        text += "，" + "".join(rng.choice(WORDS) for _ in range(rng.randint(3, 8)))
    if rng.random() < 0.2:
        text += f"{rng.randint(2, 9999)}{rng.choice(['万元', '个', '项', '%'])}"
    return text + rng.choice("。。。；")


def report_text(rng: random.Random, chars: int) -> str:
    """Headings (一、…) and indented paragraphs of three to eight sentences, about `chars` characters."""
    paragraphs, length, heading = [], 0, 0
    while length < chars:
        if rng.random() < 0.08:
            heading += 1
            paragraph = f"{NUMERALS[heading % 10]}、{''.join(rng.choice(WORDS) for _ in range(4))}\n"
        else:
            paragraph = "\u3000\u3000" + "".join(sentence(rng) for _ in range(rng.randint(3, 8))) + "\n"
        paragraphs.append(paragraph)
        length += len(paragraph)
    return "".join(paragraphs)


def revised(rng: random.Random, text: str, rate: float = 0.03) -> str:
    """A revision: about `rate` of the sentences reworded, followed by a new one, or dropped."""
    out = []
    for part in re.split(r"(?<=[。；\n])", text):
        roll = rng.random()
        if roll < rate / 2 and len(part) > 4:
            at = rng.randrange(len(part) - 2)
            out.append(part[:at] + rng.choice(WORDS) + part[at + 2:])
        elif roll < rate * 0.75:
            out += [part, sentence(rng)]
        elif roll >= rate:
            out.append(part)
    return "".join(out)


def scenarios(seed: int):
    from opinions import textdiff

    rng = random.Random(seed)
    first = report_text(rng, 40_000)
    second = revised(rng, first)
    third = revised(rng, second)
    yield "3 × 40,000 chars, scattered edits", [first, second, third]
    yield "3 × 40,000 chars, one single paragraph", [text.replace("\n", "") for text in (first, second, third)]
    different = [report_text(random.Random(seed + n), 40_000) for n in (1, 2, 3)]
    yield "3 × 40,000 chars, completely different", different
    yield "3 × 40,000 chars, different, no paragraph or sentence end", [
        re.sub(r"[\n。；]", "，", text) for text in different]
    big = report_text(rng, textdiff.MAX_CHARS // 2 + 10_000)
    yield f"3 × {len(big):,} chars (over MAX_CHARS together)", [big, revised(rng, big), revised(rng, big, 0.01)]


def adversarial(seed: int):
    """Inputs whose matching visits many equal units per search: one repeated character, random texts over an
    alphabet of two or four, the same as lines and as sentences, at sizes around the budget."""
    from opinions import textdiff

    rng = random.Random(seed)
    side = int(textdiff.MAX_WORK ** 0.5)
    for n in sorted({side // 2, side, side * 3 // 2, side * 2, side * 4}):
        yield f"one character repeated, {n:,} chars", "甲" * n, "甲" * (n // 2) + "乙" + "甲" * (n // 2)
        for alphabet in ("甲乙", "甲乙丙丁"):
            for unit, label in (("", "chars"), ("\n", "lines"), ("。", "sentences")):
                old = "".join(rng.choice(alphabet) + unit for _ in range(n))
                new = "".join(rng.choice(alphabet) + unit for _ in range(n))
                yield f"random over {len(alphabet)} characters, {n:,} {label}", old, new
        yield f"alternating, {n:,} chars", "甲乙" * (n // 2), "乙甲" * (n // 2)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15, help="timed page views per measurement (after one warm-up)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", default="npc_bench_case_page", help="name of the benchmark's own database")
    args = parser.parse_args()
    from bench._db import open_bench_database

    print(f"database: {open_bench_database(args.database)}")
    from opinions import textdiff

    world = World()
    print(f"textdiff.MAX_CHARS = {textdiff.MAX_CHARS:,} characters, textdiff.MAX_WORK = {textdiff.MAX_WORK:,} visits\n")
    print(f"load average: {', '.join(f'{load:.1f}' for load in os.getloadavg())}")
    print(f"{'scenario':<58}{'report':>7}{'chars':>9}{'submit ms':>11}{'diff ms':>9}{'diff CPU':>9}{'stored':>10}"
          f"{'diff':>13}")
    rows = []
    for number, (label, texts) in enumerate(scenarios(args.seed)):
        case = world.case(f"长篇报告 {number + 1}：{label}")
        submits = []
        for position, text in enumerate(texts):
            submits.append(world.submit(case, text, position, texts[position - 1] if position else None))
            submit_ms, (diff_ms, diff_cpu), stored, state = submits[-1]
            print(f"{label:<58}{position + 1:>7}{len(text):>9,}{submit_ms:>11.1f}{diff_ms:>9.1f}{diff_cpu:>9.1f}"
                  f"{stored:>10,}{state:>13}")
        page = timed(world.client, f"/cases/{case.pk}/", args.runs)
        last = case.reports.order_by("-submitted_at").first()
        compare = timed(world.client, f"/cases/{case.pk}/reports/{last.pk}/compare/", args.runs)
        print(f"{'':<58}case page: {page[0]:.1f} ms (CPU {page[1]:.1f}), {page[2]} queries; "
              f"side by side: {compare[0]:.1f} ms (CPU {compare[1]:.1f}), {compare[2]} queries")
        rows.append((label, submits, page, compare))
    print("\nworst case of the diff alone (inputs built to spend the budget)")
    worst = []
    for label, old, new in adversarial(args.seed):
        took, cpu = min(diff_time(old, new) for _ in range(3))
        result = textdiff.diff(old, new)
        worst.append((took, cpu, label, result.too_large))
        print(f"{label:<58}{took:>9.1f} ms (CPU {cpu:.1f}){'  too large' if result.too_large else ''}")
    print_table(rows, max(worst))


def diff_time(old: str, new: str) -> tuple[float, float]:
    """Wall and CPU milliseconds of one diff."""
    from opinions import textdiff

    started, started_cpu = time.perf_counter(), time.process_time()
    textdiff.diff(old, new)
    return 1000 * (time.perf_counter() - started), 1000 * (time.process_time() - started_cpu)


def timed(client, url: str, runs: int) -> tuple[float, float, int]:
    """Median wall and CPU milliseconds over the runs after one warm-up, and the most queries any run made."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.dashboard import get

    get(client, url)
    times, cpu_times, counts = [], [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            get(client, url)
            times.append(1000 * (time.perf_counter() - started))
            cpu_times.append(1000 * (time.process_time() - started_cpu))
        counts.append(len(queries))
    return statistics.median(times), statistics.median(cpu_times), max(counts)


class World:
    """A committee, a body, its liaison and a staff member; cases issued and received in 2024."""

    def __init__(self):
        from django.contrib.auth import get_user_model

        from agencies.models import Body, BodyKind, Committee, CommitteeKind, Membership, MembershipRole
        from bench.dashboard import logged_in

        User = get_user_model()
        self.body = Body.objects.create(name="安阳市人民政府", short_name="市人民政府", kind=BodyKind.GOVERNMENT)
        self.committee = Committee.objects.create(name="安阳市人大常委会财经工作委员会", short_name="财经工委",
                                                  kind=CommitteeKind.WORKING)
        self.staff = User.objects.create_user(username="bench_staff", first_name="员工")
        Membership.objects.create(user=self.staff, role=MembershipRole.STAFF, committee=self.committee)
        self.liaison = User.objects.create_user(username="bench_liaison", first_name="联络员")
        Membership.objects.create(user=self.liaison, role=MembershipRole.LIAISON, body=self.body)
        self.client = logged_in(self.staff)

    def case(self, title: str):
        from opinions import services

        case = services.case_create(actor=self.staff, kind="plan_execution", title=title, lead_body=self.body,
                                    supervising_committee=self.committee,
                                    items=[{"heading": "一、全力以赴抓好“六稳”“六保”。", "text": "正文"}])
        case = services.case_issue(case=case, actor=self.staff, issued_date=date(2024, 7, 1))
        return services.case_acknowledge(case=case, actor=self.liaison, received_date=date(2024, 7, 2))

    def submit(self, case, text: str, position: int, previous: str | None):
        """Submit an interim report; (submit ms, (diff ms, diff CPU ms), characters of the stored JSON, what the
    diff says)."""
        import json

        from opinions import services, textdiff

        started = time.perf_counter()
        report = services.report_submit(case=case, actor=self.liaison, kind="interim", title=f"第{position + 1}稿",
                                        text=text, at=datetime(2024, 8 + position, 1, 9, tzinfo=SHANGHAI))
        submit_ms = 1000 * (time.perf_counter() - started)
        if previous is None:
            return submit_ms, (0.0, 0.0), 0, "first"
        result = textdiff.diff(previous.strip(), text.strip())
        state = "too large" if result.too_large else f"{len(result.segments)} segments"
        stored = len(json.dumps(report.changes, ensure_ascii=False))
        return submit_ms, diff_time(previous.strip(), text.strip()), stored, state


def print_table(rows, worst):
    print("\n| scenario | submit ms (2nd, 3rd) | diff ms, CPU ms (2nd; 3rd) | stored diff | case page ms (CPU) | "
          "queries | side by side ms (CPU) |")
    print("|---|---:|---:|---|---:|---:|---:|")
    for label, submits, page, compare in rows:
        later = submits[1:]
        print(f"| {label} | {', '.join(f'{s[0]:.0f}' for s in later)} | "
              f"{'; '.join(f'{s[1][0]:.1f}, {s[1][1]:.1f}' for s in later)} | {', '.join(s[3] for s in later)} | "
              f"{page[0]:.1f} ({page[1]:.1f}) | {page[2]} | {compare[0]:.1f} ({compare[1]:.1f}) |")
    took, cpu, label, too_large = worst
    print(f"\nSlowest diff of the adversarial inputs: {took:.1f} ms, CPU {cpu:.1f} ms ({label}"
          f"{', too large' if too_large else ''}).")


if __name__ == "__main__":
    main()
