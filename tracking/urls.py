from django.urls import path

from . import bulk_views, views

app_name = "tracking"
urlpatterns = [
    path("due/", views.due, name="due"),
    path("item/<slug:key>/", views.entry, name="entry"),
    path("item/<slug:key>/save/", views.save, name="save"),
    path("item/<slug:key>/submit/", views.submit, name="submit"),
    path("item/<slug:key>/review/", views.review, name="review"),
    path("item/<slug:key>/reopen/", views.reopen, name="reopen"),
    path("item/<slug:key>/waive/", views.waive, name="waive"),
    path("item/<slug:key>/evidence/", views.upload_evidence, name="evidence-upload"),
    path("item/<slug:key>/conflict/<int:pk>/", views.conflict, name="conflict"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence-file"),
    path("evidence/<int:pk>/remove/", views.remove_evidence, name="evidence-remove"),
    path("task/<int:task_pk>/contribute/", views.contribute, name="contribute"),
    path("indicator/<int:pk>/", views.indicator_detail, name="indicator-detail"),
    path("indicator/<int:pk>/override/", views.override, name="override"),
    path("plan/<int:plan_pk>/calendar/", views.plan_calendar, name="plan-calendar"),
    path("plan/<int:pk>/activate/", views.plan_activate, name="plan-activate"),
    path("bulk/", bulk_views.bulk_upload, name="bulk-upload"),
    path("bulk/template/", bulk_views.bulk_template, name="bulk-template"),
    path("bulk/<slug:token>/", bulk_views.bulk_preview, name="bulk-preview"),
    path("bulk/<slug:token>/confirm/", bulk_views.bulk_confirm, name="bulk-confirm"),
    path("bulk/<slug:token>/marked/", bulk_views.bulk_marked, name="bulk-marked"),
]
