"""Who may do what: the one home of the access rules.

A user's memberships (department × role) decide everything. An object says where it belongs
(`Where`: its region, the department it is about, a decomposed share's region, whether it is a
draft) and these five verbs are answered against it:

========  ============================================================================
runs      the task force (专班管理员) of the object's region or of a region above it: activates
          plans, sets the calendar and thresholds, enters on a department's behalf,
          reopens, waives, overrides lamps, issues 督办单, sends reminders
oversees  coordinators and leaders of the region or above: read all of it
enters    the department's reporters, and whoever runs the region
reviews   the department's reviewers, and whoever runs the region
reads     the department's members, and whoever oversees the region (or the region a
          share was decomposed to); a draft only the department and whoever runs the region
========  ============================================================================

Querysets filter through `Access.q(verb, ...)`, which builds the same rule as a database
condition (each model's `readable_by(user)`); the views fetch objects through `get_for_user`,
which answers 404 to those who may not read an object (we do not confirm it exists) and 403 to
those who may read it but not act. Nothing else reads a user's memberships.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from .models import Membership, Region, Role

RUNS, OVERSEES, ENTERS, REVIEWS, READS, ANSWERS = "runs", "oversees", "enters", "reviews", "reads", "answers"
VERBS = (RUNS, OVERSEES, ENTERS, REVIEWS, READS, ANSWERS)


@dataclass(frozen=True)
class Where:
    """Where an object belongs, for the rules above."""

    region_id: int | None
    department_id: int | None = None
    share_region_id: int | None = None
    draft: bool = False


class Access:
    """What one user may see and do, read once per request from their memberships."""

    def __init__(self, user) -> None:
        self.is_superuser = bool(getattr(user, "is_superuser", False))
        rows = []
        if getattr(user, "is_authenticated", False):
            rows = list(
                Membership.objects.filter(user=user).values_list(
                    "department_id", "department__region_id", "role"
                )
            )
        self.roles = {role for _, _, role in rows}
        self._departments = {dept for dept, _, _ in rows}
        self._as = {role: {dept for dept, _, r in rows if r == role} for role in Role}
        tree = Region.objects.children_map() if rows else {}

        def below(roles) -> set[int]:
            return Region.objects.subtree_ids({region for _, region, role in rows if role in roles}, tree)

        self._regions = below(set(Role))
        self._run = below({Role.COORDINATOR})
        self._overseen = below({Role.COORDINATOR, Role.LEADER})

    # --- what the user is -------------------------------------------------------------------

    @property
    def is_read_only(self) -> bool:
        """Leaders read everything in their region and change nothing."""
        return not self.is_superuser and self.roles <= {Role.LEADER}

    @property
    def reports(self) -> bool:
        """Reports for a department (the due list is their home page)."""
        return bool(self._as[Role.REPORTER])

    @property
    def reviews_anything(self) -> bool:
        return bool(self._as[Role.REVIEWER] or self._run) or self.is_superuser

    @property
    def runs_anything(self) -> bool:
        return self.is_superuser or bool(self._run)

    def departments(self, *roles: str) -> set[int]:
        """The departments the user acts for (in the given roles; any role when none is given)."""
        if not roles:
            return set(self._departments)
        return set().union(*(self._as[Role(role)] for role in roles))

    def run_regions(self) -> set[int] | None:
        """Regions whose plans the user runs; None for a superuser (all of them)."""
        return None if self.is_superuser else set(self._run)

    def overseen_regions(self) -> set[int] | None:
        """Regions the user oversees (reads all of), with every region below; None for a superuser."""
        return None if self.is_superuser else set(self._overseen)

    # --- the verbs --------------------------------------------------------------------------

    def runs(self, where: Where) -> bool:
        return self.is_superuser or where.region_id in self._run

    def oversees(self, where: Where) -> bool:
        return (
            self.is_superuser
            or where.region_id in self._overseen
            or (where.share_region_id is not None and where.share_region_id in self._overseen)
        )

    def enters(self, where: Where) -> bool:
        return self.runs(where) or where.department_id in self._as[Role.REPORTER]

    def reviews(self, where: Where) -> bool:
        return self.runs(where) or where.department_id in self._as[Role.REVIEWER]

    def answers(self, where: Where) -> bool:
        """Answers a 督办单 for the department: its reporters and reviewers."""
        return self.is_superuser or where.department_id in (self._as[Role.REPORTER] | self._as[Role.REVIEWER])

    def reads(self, where: Where) -> bool:
        member = where.department_id is not None and where.department_id in self._departments
        if where.draft:
            return member or self.runs(where)
        return member or self.oversees(where)

    def can(self, verb: str, obj) -> bool:
        """The verb answered for an object that says where it belongs (`obj.where()`)."""
        return getattr(self, verb)(obj.where())

    # --- the same rules as database conditions ----------------------------------------------

    def q(
        self,
        verb: str,
        *,
        region: str,
        department: str | None = None,
        share_region: str | None = None,
        status: str | None = None,
        drafts: tuple[str, ...] = (),
    ) -> Q:
        """The rows the user may `verb`, given the paths to their region, department, share region
        and (for reads) their status field with the values that make a draft."""
        if self.is_superuser:
            return Q()
        nothing = Q(pk__in=[])

        def where(field, ids) -> Q:
            return Q(**{f"{field}__in": list(ids)}) if field and ids else nothing

        run = where(region, self._run)
        if verb == RUNS:
            return run
        if verb in (ENTERS, REVIEWS, ANSWERS):
            roles = {
                ENTERS: [Role.REPORTER],
                REVIEWS: [Role.REVIEWER],
                ANSWERS: [Role.REPORTER, Role.REVIEWER],
            }
            own = where(department, self.departments(*roles[verb]))
            return own if verb == ANSWERS else run | own
        overseen = where(region, self._overseen) | where(share_region, self._overseen)
        if verb == OVERSEES:
            return overseen
        member = where(department, self._departments)
        if not status or not drafts:
            return member | overseen
        return member | run | (overseen & ~Q(**{f"{status}__in": list(drafts)}))

    def q_region(self, field: str) -> Q:
        """Rows of the user's regions and every region below them (any role)."""
        return Q() if self.is_superuser else Q(**{f"{field}__in": list(self._regions)})

    def q_department(self, field: str) -> Q:
        """Rows about one of the user's departments (any role)."""
        return Q() if self.is_superuser else Q(**{f"{field}__in": list(self._departments)})


def access_of(user) -> Access:
    """The user's access, kept on the user object for the rest of the request."""
    if not hasattr(user, "_access"):
        user._access = Access(user)
    return user._access


def get_for_user(user, readable, verb: str = READS, **lookup):
    """The object among those the user may read (a queryset already filtered through `q`), else
    404; and, for any verb but reading, 403 unless the user may do it."""
    obj = readable.filter(**lookup).first()
    if obj is None:
        raise Http404
    if verb != READS and not access_of(user).can(verb, obj):
        raise PermissionDenied
    return obj
