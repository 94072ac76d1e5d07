from django.http import HttpRequest

from departments.models import scope_of


def security(request: HttpRequest) -> dict:
    """Whether the top bar offers the locked accounts and the login log (coordinators, admins)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_of(user)
    return {"can_oversee_logins": scope.is_superuser or bool(scope.coordinator_region_ids)}
