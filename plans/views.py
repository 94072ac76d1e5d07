from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from departments.access import READS, RUNS, access_of, get_for_user
from departments.models import Region, Role

from . import services
from .forms import (
    DepartmentChoiceForm,
    ImportForm,
    IndicatorForm,
    PartForm,
    PlanMetaForm,
    SectionForm,
    TaskForm,
)
from .importers import review
from .importers.review import ImportClosed, ItemGone, department_names
from .models import Indicator, Plan, PlanImport, Responsibility, Task


def get_plan_for_user(request: HttpRequest, pk: int, verb: str = READS) -> Plan:
    """The plan if the user may see it, else 404 (we do not confirm that it exists); for another
    verb (runs, oversees), 403 unless the user may."""
    readable = Plan.objects.readable_by(request.user).select_related("region", "issuing_department")
    return get_for_user(request.user, readable, verb, pk=pk)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Those who report or review start from their month's work; everyone else from the plans."""
    access = access_of(request.user)
    if access.departments(Role.REPORTER, Role.REVIEWER):
        return redirect("tracking:due")
    return plan_list(request)


PLANS_PER_PAGE = 50


@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = Plan.objects.visible_to(request.user).select_related("region").with_counts()
    page = Paginator(plans.widest_first(), PLANS_PER_PAGE)
    return render(request, "plans/home.html", {"page": page.get_page(request.GET.get("page"))})


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk)
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
        {
            "plan": plan,
            "sections": sections,
            "goals": goals,
            "can_run": plan.can_be_run_by(request.user),
            "reporting_periods": plan.periods(until=plan.reporting_period() or plan.last_period),
            "can_oversee": plan.is_overseen_by(request.user),
        },
    )


# --- plan import ----------------------------------------------------------------------------

ITEM_FORMS = {"s": SectionForm, "t": TaskForm, "i": IndicatorForm}


def _require_coordinator(request: HttpRequest):
    """Importing plans is the task force's work: anybody else is refused outright."""
    access = access_of(request.user)
    if not access.runs_anything:
        raise PermissionDenied
    return access


def _importable_regions(access):
    return Region.objects.filter(access.q(RUNS, region="pk")).order_by("level", "name")


def _get_import_for_user(request: HttpRequest, pk: int) -> PlanImport:
    access = _require_coordinator(request)
    imports = PlanImport.objects.filter(access.q(RUNS, region="region_id")).select_related("region", "plan")
    return get_object_or_404(imports, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    regions = _importable_regions(_require_coordinator(request))
    form = ImportForm(request.POST or None, request.FILES or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        start = services.start_table_import if data.get("table") else services.start_import
        source = {"data": data["table"]} if data.get("table") else {"text": data["source"]}
        try:
            plan_import = start(
                **source,
                region=data["region"],
                kind=data["kind"],
                filename=data["filename"],
                created_by=request.user,
            )
        except services.ImportRefused as exc:
            form.add_error(None, str(exc))
        else:
            for problem in plan_import.structure.get("skipped_rows") or []:
                messages.warning(request, problem)
            return redirect("plans:import-review", plan_import.pk)
    open_imports = (
        PlanImport.objects.filter(status=PlanImport.Status.REVIEWING, region__in=regions)
        .select_related("region", "created_by")
        .order_by("-updated_at")
    )
    return render(request, "plans/import_start.html", {"form": form, "open_imports": open_imports})


@login_required
@require_GET
def import_review(request: HttpRequest, pk: int) -> HttpResponse:
    plan_import = _get_import_for_user(request, pk)
    return render(request, "plans/import_review.html", _review_context(plan_import))


@login_required
@require_POST
def import_meta(request: HttpRequest, pk: int) -> HttpResponse:
    plan_import = _get_import_for_user(request, pk)
    form = PlanMetaForm(request.POST, prefix="meta")
    if form.is_valid():
        data = form.cleaned_data
        try:
            plan_import.update_meta(
                title=data["title"], year=data["year"], first_year=data["first_year"], kind=data["kind"]
            )
        except ImportClosed:
            return _closed(request, plan_import)
    return render(request, "plans/import_review.html#meta", {"plan_import": plan_import, "meta_form": form})


@login_required
@require_POST
def import_part(request: HttpRequest, pk: int) -> HttpResponse:
    """Import another plan of a compilation: the review starts again on the plan chosen."""
    plan_import = _get_import_for_user(request, pk)
    form = PartForm(request.POST, parts=plan_import.structure.get("parts") or [])
    if not form.is_valid():
        messages.error(request, _("Choose one of the plans of the compilation."))
        return redirect("plans:import-review", pk)
    try:
        services.choose_part(plan_import=plan_import, part=form.cleaned_data["part"])
    except ImportClosed:
        return _closed(request, plan_import)
    except services.ImportRefused as exc:
        messages.error(request, str(exc))
    return redirect("plans:import-review", pk)


@login_required
@require_POST
def import_item(request: HttpRequest, pk: int, uid: str) -> HttpResponse:
    """Save a correction to one section, task or target and show the row again."""
    plan_import = _get_import_for_user(request, pk)
    form_class = ITEM_FORMS.get(uid[:1])
    if form_class is None:
        raise Http404
    form = form_class(request.POST, prefix=uid)
    context = {"plan_import": plan_import, "row": {"uid": uid, "form": form}}
    if form.is_valid():
        fields = form.as_item() if isinstance(form, IndicatorForm) else form.cleaned_data
        try:
            plan_import.update_item(uid, fields)
        except ItemGone:
            return _gone(request)
        except ImportClosed:
            return _closed(request, plan_import)
        if not request.htmx:
            return redirect("plans:import-review", pk)
        context["saved"] = True
        if uid.startswith("t"):
            services.refresh_department_choices(plan_import)
            context.update(_departments_context(plan_import), departments_oob=True)
    partial = {"s": "section-row", "t": "task-row", "i": "indicator-row"}[uid[:1]]
    return render(request, f"plans/import_review.html#{partial}", context)


@login_required
@require_POST
def import_drop(request: HttpRequest, pk: int, uid: str) -> HttpResponse:
    plan_import = _get_import_for_user(request, pk)
    try:
        plan_import.drop_item(uid)
    except ItemGone:
        pass  # already gone: the page only needs the row removed
    except ImportClosed:
        return _closed(request, plan_import)
    if request.htmx:
        return HttpResponse("")
    return redirect("plans:import-review", pk)


@login_required
@require_POST
def import_add_indicator(request: HttpRequest, pk: int, parent: str) -> HttpResponse:
    """Add a target the importer missed; the new row comes back above a fresh, empty form."""
    plan_import = _get_import_for_user(request, pk)
    form = IndicatorForm(request.POST, prefix=f"new-{parent}")
    context = {"plan_import": plan_import, "parent": parent, "add_form": form}
    if form.is_valid():
        try:
            uid = plan_import.add_indicator(parent, form.as_item())
        except ItemGone:
            return _gone(request)
        except ImportClosed:
            return _closed(request, plan_import)
        context["new_row"] = {"uid": uid, "form": IndicatorForm(initial=form.as_item(), prefix=uid)}
        context["add_form"] = IndicatorForm(
            prefix=f"new-{parent}", initial={"kind": "count", "comparator": "="}
        )
    return render(request, "plans/import_review.html#add-indicator", context)


@login_required
@require_POST
def import_department(request: HttpRequest, pk: int) -> HttpResponse:
    plan_import = _get_import_for_user(request, pk)
    context = _departments_context(plan_import)
    form = DepartmentChoiceForm(request.POST, departments=context["candidates"])
    if form.is_valid():
        try:
            plan_import.choose_department(form.cleaned_data["name"], form.as_choice())
        except ImportClosed:
            return _closed(request, plan_import)
        context = _departments_context(plan_import)
    return render(request, "plans/import_review.html#departments", context)


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    plan_import = _get_import_for_user(request, pk)
    try:
        plan = services.confirm_import(plan_import=plan_import, user=request.user)
    except services.ImportRefused as exc:
        context = _review_context(plan_import)
        context["problems"] = [str(exc)]
        return render(request, "plans/import_review.html", context, status=400)
    messages.success(request, _("The plan was created as a draft. Check it, then activate it."))
    url = reverse("plans:plan-detail", args=[plan.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@login_required
@require_POST
def import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    plan_import = _get_import_for_user(request, pk)
    if plan_import.is_open:
        plan_import.status = PlanImport.Status.DISCARDED
        plan_import.save(update_fields=["status", "updated_at"])
        messages.info(request, _("The import was discarded."))
    return redirect("plans:import-start")


def _gone(request: HttpRequest) -> HttpResponse:
    """The row's item was dropped in another tab: say so in its place (htmx swaps only 2xx)."""
    return HttpResponse(
        format_html('<div class="error">{}</div>', _("This item was removed meanwhile. Reload the page."))
    )


def _closed(request: HttpRequest, plan_import: PlanImport) -> HttpResponse:
    message = _("This import was already confirmed or discarded; it takes no more corrections.")
    if request.htmx:
        return HttpResponse(format_html('<div class="error">{}</div>', message))
    messages.error(request, message)
    return redirect("plans:import-review", plan_import.pk)


def _departments_context(plan_import: PlanImport) -> dict:
    candidates = list(services.region_departments(plan_import.region))
    by_pk = {d.pk: d for d in candidates}
    rows = []
    for name in department_names(plan_import.structure):
        choice = plan_import.department_choices.get(name) or {}
        initial = "create" if choice.get("create") else str(choice.get("department") or "")
        rows.append(
            {
                "name": name,
                "choice": choice,
                "proposed": by_pk.get(choice.get("department")),
                "form": DepartmentChoiceForm(
                    initial={"name": name, "choice": initial}, departments=candidates
                ),
            }
        )
    return {"plan_import": plan_import, "department_rows": rows, "candidates": candidates}


def _review_context(plan_import: PlanImport) -> dict:
    structure = plan_import.structure
    sections = []
    for section in structure.get("sections") or []:
        tasks = []
        for task in section.get("tasks") or []:
            tasks.append(
                {
                    "uid": task["uid"],
                    "form": TaskForm(initial=task, prefix=task["uid"]),
                    "indicators": [_indicator_row(i) for i in task.get("indicators") or []],
                    "add_form": IndicatorForm(
                        prefix=f"new-{task['uid']}", initial={"kind": "count", "comparator": "="}
                    ),
                }
            )
        sections.append(
            {
                "uid": section["uid"],
                "form": SectionForm(initial=section, prefix=section["uid"]),
                "tasks": tasks,
            }
        )
    meta = {
        "title": structure.get("title"),
        "year": structure.get("year"),
        "first_year": plan_import.first_year or structure.get("year"),
        "kind": plan_import.kind,
    }
    return {
        **_departments_context(plan_import),
        "source_html": review.highlighted(plan_import.source_text, structure),
        "meta_form": PlanMetaForm(initial=meta, prefix="meta"),
        "goals": [_indicator_row(i) for i in structure.get("goals") or []],
        "goals_add_form": IndicatorForm(prefix="new-goals", initial={"kind": "count", "comparator": "="}),
        "sections": sections,
        "counts": review.counts(structure),
        "problems": services.review_problems(plan_import) if plan_import.is_open else [],
        "unplaced": review.unplaced(structure),
        "part_form": _part_form(structure),
    }


def _part_form(structure: dict) -> PartForm | None:
    """The choice of plan for a compilation; None for a single plan."""
    parts = structure.get("parts") or []
    return PartForm(initial={"part": structure.get("part")}, parts=parts) if len(parts) > 1 else None


def _indicator_row(item: dict) -> dict:
    return {"uid": item["uid"], "form": IndicatorForm(initial=item, prefix=item["uid"])}
