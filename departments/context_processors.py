from django.http import HttpRequest

from .models import scope_of


def roles(request: HttpRequest) -> dict:
    """What the navigation offers: only the task force imports plans."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_of(user)
    return {
        "can_import": scope.is_superuser or bool(scope.coordinator_region_ids),
        "can_report": bool(scope.reporter_department_ids or scope.reviewer_department_ids),
    }
