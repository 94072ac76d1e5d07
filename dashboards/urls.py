from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("tiles/<slug:tile>/", views.tile, name="tile"),
    path("plan/<int:pk>/", views.cockpit, name="plan-cockpit"),
    path("plan/<int:pk>/tiles/<slug:tile>/", views.tile, name="plan-tile"),
]
