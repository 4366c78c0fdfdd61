from django.urls import path, re_path

from .views import actions, annual, attachments, audit, cases, dashboard, drafts, meetings, reports

app_name = "opinions"

urlpatterns = [
    path("", cases.case_list, name="case_list"),
    path("new/", drafts.case_create, name="case_create"),
    path("deadline-preview/", drafts.deadline_preview, name="deadline_preview"),
    path("export.csv", cases.case_export, name="case_export"),
    path("export.xlsx", cases.case_export_xlsx, name="case_export_xlsx"),
    path("issue/", cases.case_bulk_issue, name="case_bulk_issue"),
    path("<int:pk>/", cases.case_detail, name="case_detail"),
    path("<int:pk>/edit/", drafts.case_edit, name="case_edit"),
    path("<int:pk>/assignment-notice.docx", cases.assignment_preview, name="assignment_preview"),
    path("<int:pk>/print/", cases.case_print, name="case_print"),
    path("<int:pk>/act/<slug:action>/", actions.case_action, name="case_action"),
    path("<int:pk>/items/<int:item_pk>/<slug:action>/", actions.item_action, name="item_action"),
    path("<int:pk>/attachments/new/", attachments.attachment_upload, name="attachment_upload"),
    path("<int:pk>/reports/<int:report_pk>/compare/", reports.report_compare, name="report_compare"),
    path("attachments/<int:attachment_pk>/", attachments.attachment_download, name="attachment_download"),
    path("documents/<int:document_pk>/", attachments.document_download, name="document_download"),
    path("audit/", audit.audit_ledger, name="audit_ledger"),
    path("audit/export.xlsx", audit.audit_ledger_export, name="audit_ledger_export"),
    path("audit/import/", audit.audit_import_page, name="audit_import"),
    re_path(r"^audit/imports/(?P<pk>[0-9]{1,18})/$", audit.audit_import_job, name="audit_import_job"),
    path("<int:pk>/audit-report/", audit.audit_report_page, name="audit_report"),
    path("<int:pk>/audit-report.docx", audit.audit_report_docx, name="audit_report_docx"),
    path("audit/template.xlsx", audit.audit_template, name="audit_template"),
    # A problem's id is its item's (a one-to-one key, which Django does not range-check): bounded to a bigint's width.
    re_path(r"^audit/(?P<pk>[0-9]{1,18})/repeat/$", audit.audit_confirm_repeat, name="audit_confirm_repeat"),
    path("dashboard/", dashboard.dashboard_page, name="dashboard"),
    path("dashboard/print/", dashboard.dashboard_page, {"mode": "print"}, name="dashboard_print"),
    path("dashboard/screen/", dashboard.dashboard_page, {"mode": "screen"}, name="dashboard_screen"),
    path("stats/", annual.annual_pick, name="annual_pick"),
    path("stats/<int:year>/", annual.annual_page, name="annual"),
    path("stats/<int:year>/report.docx", annual.annual_docx, name="annual_docx"),
    path("stats/<int:year>/report.xlsx", annual.annual_xlsx, name="annual_xlsx"),
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
]
