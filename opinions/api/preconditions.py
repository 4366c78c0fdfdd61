"""Two people, one case: every case answer carries an ETag, and a write that sends `If-Match` with an ETag that is
no longer current is refused with 412 instead of overwriting what the other person did (issue 13 §4).

The ETag names the version of the case's records — the case and its items, reports, files, extensions and
evaluations, whose every change leaves a history row — so it is the same in every language and changes exactly
when something on the case does. It is checked with the case's row locked, in the transaction that writes.
"""

import hashlib
from contextlib import contextmanager

from django.db import transaction
from django.db.models import Max
from rest_framework import status
from rest_framework.exceptions import APIException

from ..models import Attachment, Case, CaseItem, Evaluation, Extension, Report


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The case changed since you read it: read it again, then repeat your change."
    default_code = "precondition_failed"


def case_etag(case_id: int) -> str:
    histories = [Case.history.filter(id=case_id), *(model.history.filter(case_id=case_id) for model in (
        CaseItem, Report, Attachment, Extension, Evaluation))]
    marks = [history.aggregate(latest=Max("history_id"))["latest"] for history in histories]
    digest = hashlib.sha256(f"{case_id}:{marks}".encode()).hexdigest()[:20]
    return f'"{digest}"'


def _matches(header: str, current: str) -> bool:
    tags = [tag.strip() for tag in header.split(",")]
    return "*" in tags or current in tags


@contextmanager
def if_match(request, case):
    """Around a write to `case`: lock the case, refuse with 412 when `If-Match` names no current ETag, then let the
    write run in the same transaction (so nobody can slip in between the check and the write)."""
    header = request.headers.get("If-Match")
    with transaction.atomic():
        if header is not None:
            list(Case.objects.select_for_update(of=("self",)).filter(pk=case.pk).values_list("pk", flat=True))
            if not _matches(header, case_etag(case.pk)):
                raise PreconditionFailed
        yield
