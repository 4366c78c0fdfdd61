"""Two versions of a report side by side, paragraph by paragraph: where the inline diff is too large to show."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .. import selectors, textdiff
from ..models import Report


@login_required
def report_compare(request, pk, report_pk):
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=pk)
    try:
        previous, report = selectors.report_versions(case, report_pk)
    except Report.DoesNotExist:
        raise Http404 from None
    # Aligned by the paragraph opcodes stored at submission: nothing is matched while the page is shown.
    paragraphs = textdiff.Diff.from_json(report.changes).paragraphs if report.changes is not None else None
    return render(request, "opinions/report_compare.html", {
        "case": case, "previous": previous, "report": report,
        "rows": textdiff.side_by_side(previous.text, report.text, paragraphs),
    })
