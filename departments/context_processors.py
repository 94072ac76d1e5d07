from django.http import HttpRequest

from .access import access_of


def roles(request: HttpRequest) -> dict:
    """What the navigation offers: only the task force imports plans and oversees logins."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    access = access_of(user)
    return {
        "can_import": access.runs_anything,
        "can_report": access.reports or access.reviews_anything,
        "can_oversee_logins": access.runs_anything,  # locked accounts and the login log
        "can_export_regions": access.overseen_regions() != set(),  # exports of a region
    }
