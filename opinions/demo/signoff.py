"""The demo's opinions go out as the office sends them: sent for sign-off (审签), signed off, then issued. The
bulletins do not say who signed them or when, so the sign-off is marked 【演示】."""

from datetime import date, datetime

from .. import rules, services
from ..workflow import SignoffBy
from .script import DEMO_MARK


def issue_signed(case, *, actor, signers: dict, issued_date: date, at: datetime, reason: str = ""):
    """`signers`: the demo's users who sign off, by rule (the office's director, leadership)."""
    signoff_by = rules.signoff_by_for(case)
    if signoff_by is not SignoffBy.NONE:
        services.case_request_signoff(case=case, actor=actor, at=at)
        services.case_sign_off(case=case, actor=signers[signoff_by], approve=True, comment=f"{DEMO_MARK}同意印发",
                               at=at)
    return services.case_issue(case=case, actor=actor, issued_date=issued_date, reason=reason, at=at)
