from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("password/", views.PasswordChange.as_view(), name="password-change"),
    path("locked/", views.locked_accounts, name="locked"),
    path("locked/release/", views.release, name="release"),
    path("log/", views.login_log, name="log"),
]
