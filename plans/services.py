"""Writes that span several models: a whole plan from its extracted structure."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction

from departments.models import Department, Region
from indicators.models import Indicator

from .models import Plan, Responsibility, Section, Task

THEMES = {choice.value for choice in Section.Theme}


def department_names(structure: Mapping) -> list[str]:
    """Every department a structure names, lead or co, in order of first mention."""
    seen: dict[str, None] = {}
    for section in structure.get("sections") or []:
        for task in section.get("tasks") or []:
            for name in [*(task.get("lead") or []), *(task.get("co") or [])]:
                seen.setdefault(name.strip(), None)
    return list(seen)


def resolve_departments(names, *, region: Region, create: bool = False) -> dict[str, Department]:
    """Map each name to the region's department of that name or alias, creating it if asked."""
    found: dict[str, Department] = {}
    for name in names:
        department = Department.objects.resolve(name, region=region)
        if department is None and create:
            department = Department.objects.create(name=name, region=region)
        if department is not None:
            found[name] = department
    return found


@transaction.atomic
def create_plan(
    *,
    structure: Mapping,
    region: Region,
    departments: Mapping[str, Department],
    kind: str = Plan.Kind.WORK_PLAN,
    first_year: int | None = None,
    issuing_department: Department | None = None,
    status: str = Plan.Status.DRAFT,
    source_text: str = "",
    created_by=None,
) -> Plan:
    """Create a plan with its sections, tasks, targets and responsibilities in one transaction.

    `structure` is the importer's JSON (see shared/importer/CONVENTIONS.md) after a person
    has checked it; `departments` maps every lead and co name it holds to a department.
    A name missing from that map is an error, never silently dropped.
    """
    missing = [name for name in department_names(structure) if name not in departments]
    if missing:
        raise ValueError(f"departments not matched: {', '.join(missing)}")
    last_year = structure.get("year") or first_year
    if last_year is None:
        raise ValueError("the plan has no year")
    plan = Plan.objects.create(
        title=structure["title"],
        kind=kind,
        region=region,
        issuing_department=issuing_department,
        first_year=first_year or last_year,
        last_year=last_year,
        status=status,
        source_text=source_text,
        created_by=created_by,
    )
    indicators = [
        _indicator(plan, None, position, data) for position, data in enumerate(structure.get("goals") or [])
    ]
    for s_pos, s_data in enumerate(structure.get("sections") or []):
        theme = s_data.get("theme") or ""
        section = Section.objects.create(
            plan=plan,
            position=s_pos,
            label=s_data.get("label") or "",
            title=s_data.get("title") or "",
            theme=theme if theme in THEMES else "",
        )
        for t_pos, t_data in enumerate(s_data.get("tasks") or []):
            task = Task.objects.create(
                section=section,
                position=t_pos,
                number=t_data.get("number") or "",
                title=t_data.get("title") or "",
                text=t_data.get("text") or "",
                list_kind=t_data.get("list") or Task.ListKind.TASK,
            )
            roles = [(Responsibility.Role.LEAD, n) for n in t_data.get("lead") or []]
            roles += [(Responsibility.Role.CO, n) for n in t_data.get("co") or []]
            seen: set[int] = set()
            for r_pos, (role, name) in enumerate(roles):
                department = departments[name.strip()]
                if department.pk in seen:  # a plan may name one office twice; the first role wins
                    continue
                seen.add(department.pk)
                Responsibility.objects.create(task=task, department=department, role=role, position=r_pos)
            indicators += [
                _indicator(plan, task, position, data)
                for position, data in enumerate(t_data.get("indicators") or [])
            ]
    Indicator.objects.bulk_create(indicators)
    return plan


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _indicator(plan: Plan, task: Task | None, position: int, data: Mapping) -> Indicator:
    kind = data.get("kind") or Indicator.Kind.COUNT
    qualitative = kind == Indicator.Kind.QUALITATIVE
    comparator = "" if qualitative else (data.get("comparator") or Indicator.Comparator.EQUAL)
    return Indicator(
        plan=plan,
        task=task,
        position=position,
        name=data.get("name") or data.get("text") or "",
        unit=data.get("unit") or "",
        kind=kind,
        comparator=comparator,
        target=None if qualitative else _decimal(data.get("value")),
        target_max=_decimal(data.get("value_max")) if comparator == Indicator.Comparator.RANGE else None,
        baseline=_decimal(data.get("baseline")),
        baseline_year=data.get("baseline_year"),
        measure=data.get("measure") or Indicator.default_measure(kind, data.get("name") or ""),
        source_text=data.get("text") or "",
    )
