"""One valid request body per action: shown in the API documentation, and sent by the permission matrix test and by
the walk over every state (tests/api/test_no_dead_ends.py), so the documented example is known to work."""

CASE_EXAMPLES = {
    "issue": {"issued_date": "2026-11-23"},
    "request-signoff": {},
    "sign-off": {"approve": "yes", "comment": ""},
    "press": {"note": "请于本周内报送书面报告。"},
    "supervision-letter": {"note": "请主要负责同志亲自督办。"},
    "withdraw": {"reason": "与另一件重复立案"},
    "acknowledge": {"received_date": "2026-11-23"},
    "comment-consultation": {"comment": "请补充各项措施的完成时限和量化指标。"},
    "submit-consultation-draft": {"title": "关于审议意见研究处理情况的报告（征求意见稿）", "text": "一、……"},
    "submit-report": {"title": "关于审议意见研究处理情况的报告", "text": "一、……"},
    "submit-interim-report": {"title": "阶段性整改情况报告", "text": "一、……"},
    # Settles whatever is still open, so it succeeds whatever state the items are in.
    "accept-report": {"comment": "报告符合要求。", "verify_done": "yes", "carry_over_reason": "长期工作，转持续整改",
                      "next_report_date": "2099-06-30"},
    "return-report": {"reason": "报告未逐条回应审议意见，请补充整改成效。"},
    "evaluate": {"entitled_to_vote": 30, "satisfied": 20, "basically_satisfied": 5, "dissatisfied": 1,
                 "follow_up": "建立农村人居环境长效管护机制", "next_report_date": "2099-06-30"},
    "close": {"comment": "经主任会议同意办结"},
    "request-extension": {"requested_date": "2099-12-31", "reason": "涉及多个部门协调，需延长办理时间。"},
    "decide-extension": {"approve": "yes", "comment": "同意延期。"},
    "publish": {},
    "unpublish": {"reason": "报告中含有未脱密的个人信息，撤下待重新处理"},
    "reopen": {"reason": "群众反映问题反弹"},
    "further-supervision": {"measure": "interpellation", "reason": "主任会议决定"},
}
# What the example above shows, where its outcome depends on the input.
CASE_EXAMPLE_SUMMARIES = {
    "accept-report": "Accept, verifying the items marked done and carrying over the other open items",
    "evaluate": "满意 (20 of 26 votes cast): the case is closed (办结)",
}
# Further documented examples of a step whose outcome depends on its input: (name, summary, body).
CASE_MORE_EXAMPLES = {
    "accept-report": [("accept-report-settled", "Accept a report whose items are all verified or carried over",
                       {"comment": "报告符合要求。"})],
    "evaluate": [("evaluate-dissatisfied", "不满意: back to the body (重新办理), due on redo_due_date",
                  {"entitled_to_vote": 30, "satisfied": 4, "basically_satisfied": 6, "dissatisfied": 16,
                   "redo_due_date": "2026-10-30"})],
}
ITEM_EXAMPLES = {
    "report-progress": {"progress_note": "已制定工作方案，明确责任单位和完成时限。"},
    "report-audit": {"progress_note": "已上缴国库 60 万元，调整账目 20 万元；制定资金管理办法 2 项。",
                     "paid_to_treasury": "60.00", "accounts_adjusted": "20.00", "rules_made": 2},
    "mark-done": {"measures": "已按审议意见落实整改措施，形成制度性成果。"},
    "verify": {"note": "经核实，同意销号。"},
    "send-back": {"reason": "佐证材料不足"},
    "carry-over": {"reason": "长期工作，转持续整改", "next_report_date": "2099-06-30"},
    "report-follow-up": {"progress_note": "长效管护机制已覆盖全部乡镇，资金已拨付到位。"},
}
