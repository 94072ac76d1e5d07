from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from indicators.models import Indicator

from .models import Plan, Responsibility, Task


def _get_plan_for_user(request: HttpRequest, pk: int) -> Plan:
    """The plan if the user may see it, else 404 (we do not confirm that it exists)."""
    return get_object_or_404(Plan.objects.visible_to(request.user).select_related("region"), pk=pk)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    plans = (
        Plan.objects.visible_to(request.user)
        .select_related("region", "issuing_department")
        .annotate(
            task_count=Count("sections__tasks", distinct=True),
            indicator_count=Count("indicators", distinct=True),
        )
    )
    return render(request, "plans/home.html", {"plans": plans})


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get_plan_for_user(request, pk)
    indicators = Indicator.objects.order_by("position")
    tasks = Task.objects.order_by("position").prefetch_related(
        Prefetch(
            "responsibilities",
            queryset=Responsibility.objects.select_related("department").order_by("position"),
        ),
        Prefetch("indicators", queryset=indicators),
    )
    sections = plan.sections.order_by("position").prefetch_related(Prefetch("tasks", queryset=tasks))
    goals = indicators.filter(plan=plan, task__isnull=True)
    return render(
        request,
        "plans/plan_detail.html",
        {"plan": plan, "sections": sections, "goals": goals},
    )
