"""Writes that span several models: a whole plan from its extracted structure."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from departments import clock
from departments.models import Department, DepartmentAlias, Region

from .importers import review
from .importers.review import department_names
from .models import Indicator, Milestone, Plan, PlanImport, Responsibility, Section, Task

THEMES = {choice.value for choice in Section.Theme}
MAX_TEXT_CHARS = 300_000


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
            due = review.deadline_date(t_data.get("deadline") or "", last_year)
            if due is not None:  # 完成时限 of a decomposition table: the task's final milestone
                Milestone.objects.create(
                    task=task, title=_("Deadline: %(text)s") % {"text": t_data["deadline"]}, due_date=due
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
    # with history rows, so that the first correction of a target shows what it was before
    bulk_create_with_history(
        indicators, Indicator, default_change_reason=_("created with the plan"), default_date=clock.now()
    )
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


class ImportRefused(ValueError):
    """A text that cannot become a plan; the message is for the user."""


def region_departments(region: Region):
    """The departments of the region and below: who may take a part in its plans."""
    return (
        Department.objects.filter(region_id__in=Region.objects.subtree_ids([region]))
        .select_related("region")
        .prefetch_related("aliases")
        .order_by("region__level", "name")
    )


def department_candidates(departments) -> list[review.Candidate]:
    """Each department with every spelling it goes by, for proposing matches."""
    return [review.Candidate(d.pk, d.name, (d.name, *(a.name for a in d.aliases.all()))) for d in departments]


def propose_departments(names, region: Region) -> dict[str, dict]:
    """For each name, the department proposed for it (exact name or alias, else the closest)."""
    candidates = department_candidates(region_departments(region))
    choices = {}
    for name in names:
        pk, score = review.propose(name, candidates)
        choices[name] = {"department": pk, "score": round(score, 2)} if pk else {"create": True}
    return choices


def refresh_department_choices(plan_import: PlanImport) -> None:
    """Propose departments for names a correction added; keep every choice already made."""
    new = [
        n for n in review.department_names(plan_import.structure) if n not in plan_import.department_choices
    ]
    for name, choice in propose_departments(new, plan_import.region).items():
        plan_import.choose_department(name, choice)


def start_import(*, text: str, region: Region, created_by, filename: str = "", kind: str = "") -> PlanImport:
    """Read a plan's text and keep what was read for a person to check."""
    from .importers.text import has_structure, parse_plan

    if not text.strip():
        raise ImportRefused(_("There is no text to import."))
    if len(text) > MAX_TEXT_CHARS:  # a plan is tens of thousands of characters; this bounds the work
        raise ImportRefused(
            _("The text is %(size)s characters long; at most %(limit)s characters can be imported.")
            % {"size": len(text), "limit": MAX_TEXT_CHARS}
        )
    structure = parse_plan(text)
    if not has_structure(structure):
        raise ImportRefused(
            _(
                "No sections or numbered tasks were recognised in this text. "
                "Check that it is the plan's full text, with headings such as 一、 (一) or 1."
            )
        )
    structure = review.with_uids(structure)
    return PlanImport.objects.create(
        created_by=created_by,
        region=region,
        kind=kind or review.infer_kind(structure.get("title") or ""),
        first_year=review.first_year(text, structure.get("title") or "", structure.get("year")),
        filename=filename,
        source_text=text,
        structure=structure,
        department_choices=propose_departments(review.department_names(structure), region),
    )


def choose_part(*, plan_import: PlanImport, part: int) -> None:
    """Read another plan of a compilation in place of the one under review.

    Corrections made so far belong to the other plan and are dropped with it; departments
    are proposed afresh for the plan now read.
    """
    from .importers.text import has_structure, parse_plan

    structure = parse_plan(plan_import.source_text, part)
    if structure.get("part") != part or not has_structure(structure):
        raise ImportRefused(_("That plan of the compilation could not be read."))
    structure = review.with_uids(structure)
    choices = propose_departments(review.department_names(structure), plan_import.region)

    def change(current: dict, current_choices: dict) -> None:
        current.clear()
        current.update(structure)
        current_choices.clear()
        current_choices.update(choices)

    plan_import._edit(change)
    title = structure.get("title") or ""
    plan_import.kind = review.infer_kind(title)
    plan_import.first_year = review.first_year(plan_import.source_text, title, structure.get("year"))
    plan_import.save(update_fields=["kind", "first_year", "updated_at"])


def start_table_import(
    *, data: bytes, region: Region, created_by, filename: str = "", kind: str = ""
) -> PlanImport:
    """Read a decomposition table (.xlsx) and keep what was read for a person to check.

    Rows that could not be read are kept as `skipped_rows` (sheet and row number in words),
    so the start page can list them; the table rendered as text stands in for the source.
    """
    from .importers.table import TableRefused, read_table

    try:
        result = read_table(data)
    except TableRefused as exc:
        raise ImportRefused(str(exc)) from exc
    structure = result.structure
    if not structure["sections"] and not structure["goals"]:
        skipped = "；".join(str(p) for p in result.problems[:20])
        raise ImportRefused(" ".join(filter(None, [_("No task could be read from this table."), skipped])))
    structure = review.with_uids(structure)
    structure["skipped_rows"] = [str(problem) for problem in result.problems]
    title = structure.get("title") or ""
    return PlanImport.objects.create(
        created_by=created_by,
        region=region,
        kind=kind or review.infer_kind(title),
        first_year=review.first_year(title, title, structure.get("year")),
        filename=filename,
        source_text=result.text,
        structure=structure,
        department_choices=propose_departments(review.department_names(structure), region),
    )


def review_problems(plan_import: PlanImport) -> list[str]:
    """What still stops the import from being confirmed, in words for the coordinator."""
    problems = []
    structure = plan_import.structure
    if not (structure.get("title") or "").strip():
        problems.append(_("The plan has no title."))
    if not structure.get("year"):
        problems.append(_("The plan's year is missing."))
    if not structure.get("sections"):
        problems.append(_("The plan has no sections."))
    unmatched = [
        name
        for name in review.department_names(structure)
        if not _choice_is_complete(plan_import.department_choices.get(name))
    ]
    if unmatched:
        problems.append(_("Departments not yet matched: %(names)s") % {"names": "、".join(unmatched)})
    return problems


def _choice_is_complete(choice) -> bool:
    return bool(choice) and (bool(choice.get("create")) or bool(choice.get("department")))


def confirm_import(*, plan_import: PlanImport, user) -> Plan:
    """Create the plan of a checked import, exactly once.

    The row is locked while the plan is made; a second confirmation (a double click, a
    second tab) finds it confirmed and gets the same plan back instead of a copy.
    """
    with transaction.atomic():
        locked = PlanImport.objects.select_for_update().select_related("region").get(pk=plan_import.pk)
        if locked.status == PlanImport.Status.CONFIRMED and locked.plan_id:
            return locked.plan
        if locked.status != PlanImport.Status.REVIEWING:
            raise ImportRefused(_("This import was discarded."))
        problems = review_problems(locked)
        if problems:
            raise ImportRefused(" ".join(problems))
        structure = review.without_uids(locked.structure)
        departments = _matched_departments(locked, review.department_names(structure))
        plan = create_plan(
            structure=structure,
            region=locked.region,
            departments=departments,
            kind=locked.kind,
            first_year=locked.first_year,
            status=Plan.Status.DRAFT,
            source_text=locked.source_text,
            created_by=user,
        )
        locked.plan = plan
        locked.status = PlanImport.Status.CONFIRMED
        locked.save(update_fields=["plan", "status", "updated_at"])
    return plan


def _matched_departments(plan_import: PlanImport, names) -> dict[str, Department]:
    """Departments for each name as the coordinator matched them; a new spelling becomes an alias."""
    allowed = Region.objects.subtree_ids([plan_import.region])
    chosen_pks = [c["department"] for c in plan_import.department_choices.values() if c.get("department")]
    existing = Department.objects.in_bulk(chosen_pks)
    found: dict[str, Department] = {}
    for name in names:
        choice = plan_import.department_choices[name]
        department = existing.get(choice.get("department")) if not choice.get("create") else None
        if department is not None and department.region_id not in allowed:
            raise ImportRefused(
                _("The department %(name)s is outside the plan's region.") % {"name": department}
            )
        if department is None:
            department, _created = Department.objects.get_or_create(region=plan_import.region, name=name)
        elif name != department.name:
            DepartmentAlias.objects.get_or_create(department=department, name=name)
        found[name] = department
    return found
