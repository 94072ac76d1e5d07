from django.urls import path

from . import chasing_views, document_views, export_views, ledger_views

app_name = "outputs"
urlpatterns = [
    path("plans/<int:pk>/ledger/", ledger_views.ledger_form, name="ledger-form"),
    path("plans/<int:pk>/ledger.xlsx", ledger_views.ledger_download, name="ledger-download"),
    path("reports/plan/<int:plan_pk>/completeness/", chasing_views.completeness, name="completeness"),
    path(
        "reports/plan/<int:plan_pk>/completeness/<int:department_pk>/remind/",
        chasing_views.remind,
        name="remind",
    ),
    path("reports/plan/<int:plan_pk>/bulletin/", document_views.bulletin, name="bulletin"),
    path("exports/", export_views.exports, name="exports"),
    path("exports/<int:pk>/", export_views.export_detail, name="export-detail"),
    path("exports/<int:pk>/file/", export_views.export_download, name="export-download"),
    path("reports/indicator/<int:pk>/follow-up/", document_views.followup_issue, name="followup-issue"),
    path("reports/follow-up/<int:pk>/docx/", document_views.followup_file, name="followup-file"),
    path("reports/follow-up/<int:pk>/answer/", document_views.followup_answer, name="followup-answer"),
]
