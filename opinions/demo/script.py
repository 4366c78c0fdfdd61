"""The demo follow-up: what happened after the bulletins is not in them, so every step here is demo data.

A step is (action, when, *args). `when` is an ISO date (a real-looking date; 2024 dates are shifted with the
meetings) or a number of days after the case's meeting ended. An evaluation's args are (satisfied, basically
satisfied, dissatisfied[, follow-up items, their next report date]); carry_over's the next report date. Cases whose
bulletin gives an issue date are issued on that date before the steps run. Everything the loader writes from here
carries the 【演示】 mark.
"""

DEMO_MARK = "【演示】"
DEMO_RULE_REASON = "【演示】公报未载明期限，按评议/询问工作方案设定为三个月"

FOLLOW_UP = {
    # 2020: all handled; the plan opinion is the worked example of receipt-based counting with roll-forward.
    "2020-S15-01": {"steps": [("ack", "2020-09-05"), ("progress", "2020-09-20"), ("done", "2020-11-20"),
                              ("verify", "2020-11-30"), ("report", "2020-12-04"), ("accept", "2020-12-10"),
                              ("close", "2020-12-28")]},
    "2020-S15-02": {"steps": [("issue", "2020-09-07"), ("ack", "2020-09-08"), ("progress", "2020-09-25"),
                              ("consult", "2020-10-20"), ("comment", "2020-10-26"), ("done", "2020-10-28"),
                              ("verify", "2020-11-04"), ("report", "2020-11-05"), ("accept", "2020-11-10"),
                              ("evaluate", "2020-11-10", 30, 6, 2)]},
    "2020-S15-03": {"steps": [("ack", "2020-09-16"), ("progress", "2020-10-01"), ("done", "2020-12-01"),
                              ("verify", "2020-12-08"), ("report", "2020-12-11"), ("accept", "2020-12-15"),
                              ("evaluate", "2020-12-15", 18, 17, 3,
                               ["【演示】建立农村人居环境长效管护机制，明确管护主体和经费保障。",
                                "【演示】加快补齐农村生活污水治理短板，制定分年度治理计划。"], "2021-06-30")]},
    # The motion was closed by the SC on 2020-08-31 (real); its follow-up suggestions are long-term work.
    # Not linked to the 2020 meeting that closed it: it was handed over in 2017, long before that meeting.
    "2020-S15-06": {"no_meeting": True,
                    "steps": [("issue", "2017-06-01"), ("ack", "2017-06-05"), ("report", "2020-08-28"),
                              ("carry_over", "2020-08-31", "2021-08-31"), ("accept", "2020-08-31"),
                              ("close", "2020-08-31")]},
    # The government's response (real, 2020-08-28) awaits the committee's review.
    "2020-S15-07": {"steps": [("issue", "2020-05-29"), ("ack", "2020-06-01"), ("report", "2020-08-28")]},
    # 2024, 11th session: two overdue (leadership decided a 跟踪检查 on one), one extended, two decisions without
    # a fixed time limit.
    "2024-S11-01": {"steps": [("issue", 7), ("ack", 9), ("progress", 30, 2),
                              ("further", 115, "follow_up_inspection")]},
    "2024-S11-02": {"steps": [("issue", 7), ("ack", 10), ("progress", 20), ("done", 60)]},
    "2024-S11-03": {"steps": [("issue", 7), ("ack", 8), ("progress", 20), ("extension", 92, 45)]},
    "2024-S11-04": {"steps": [("issue", 7), ("ack", 9)]},
    "2024-S11-05": {"steps": [("issue", 7), ("ack", 9)]},
    # 2024, 12th session: due soon, in consultation, returned once, not yet acknowledged, appraisals in draft.
    "2024-S12-01": {"steps": [("issue", 6), ("ack", 8), ("progress", 25, 2)]},
    "2024-S12-02": {"steps": [("issue", 6), ("ack", 7), ("progress", 20)]},
    "2024-S12-03": {"steps": [("issue", 6), ("ack", 7), ("progress", 15), ("done", 40), ("report", 50),
                              ("return", 55)]},
    "2024-S12-04": {"set": {"consulted_committee": "yusuan"},
                    "steps": [("issue", 6), ("ack", 7), ("progress", 20), ("consult", 50)]},
    "2024-S12-05": {"set": {"consulted_committee": "yusuan"}, "steps": [("issue", 6)]},
    "2024-S12-06": {"steps": [("issue", 6), ("ack", 8), ("interim_audit", 10), ("progress", 30, 3)]},
    "2024-S12-07": {"rule": "months:3", "steps": [("issue", 6), ("ack", 8)]},
    "2024-S12-08": {"steps": [("issue", 6), ("ack", 7), ("progress", 20), ("done", 45, 4), ("verify", 52, 2)]},
    "2024-S12-09": {"steps": [("issue", 6), ("ack", 8)]},
    "2024-S12-10": {"rule": "months:3", "steps": [("issue", 20), ("ack", 22), ("progress", 40)]},
    "2024-S12-11": {"rule": "months:3", "steps": [("issue", 20)]},
}
