"""The PostgreSQL + Redis pass: an audit list goes to a real worker through the real broker, which imports it
while the progress can be read, and reports the result on the import."""

import time

import pytest

from opinions import audit_import
from opinions.models import AuditImport, AuditProblem
from opinions.tasks import run_audit_import
from tests.audit_lists import row, xlsx


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_imports_the_list_all_or_nothing(celery_worker_process, seeded, audit_case, world):
    rows = [row(f"SJ2023-01-{n:03d}") for n in range(1, 301)]
    job = audit_import.start(case=audit_case, actor=world.staff, file=xlsx(rows), then=run_audit_import.delay)
    deadline = time.monotonic() + 120
    while AuditImport.objects.get(pk=job.pk).state in ("queued", "running"):
        assert time.monotonic() < deadline, "the worker did not finish the import"
        time.sleep(0.5)
    job.refresh_from_db()
    assert (job.state, job.created, job.errors) == ("done", 300, [])
    assert AuditProblem.objects.filter(item__case=audit_case).count() == 300
    refused = audit_import.start(case=audit_case, actor=world.staff, then=run_audit_import.delay,
                                 file=xlsx([row("SJ2023-02-001"), row("SJ2023-02-002", unit="不存在的单位")]))
    while AuditImport.objects.get(pk=refused.pk).state in ("queued", "running"):
        assert time.monotonic() < deadline, "the worker did not finish the import"
        time.sleep(0.5)
    refused.refresh_from_db()
    assert refused.state == "refused"
    assert [error["row"] for error in refused.errors] == [3]
    assert not AuditProblem.objects.filter(reference="SJ2023-02-001").exists()
    for done in (job, refused):
        done.file.delete(save=False)
    assert celery_worker_process.poll() is None
