from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.home, name="home"),
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/import/", views.import_start, name="import-start"),
    path("plans/import/<int:pk>/", views.import_review, name="import-review"),
    path("plans/import/<int:pk>/meta/", views.import_meta, name="import-meta"),
    path("plans/import/<int:pk>/part/", views.import_part, name="import-part"),
    path("plans/import/<int:pk>/items/<slug:uid>/", views.import_item, name="import-item"),
    path("plans/import/<int:pk>/items/<slug:uid>/drop/", views.import_drop, name="import-drop"),
    path("plans/import/<int:pk>/items/<slug:parent>/add/", views.import_add_indicator, name="import-add"),
    path("plans/import/<int:pk>/departments/", views.import_department, name="import-department"),
    path("plans/import/<int:pk>/confirm/", views.import_confirm, name="import-confirm"),
    path("plans/import/<int:pk>/discard/", views.import_discard, name="import-discard"),
]
