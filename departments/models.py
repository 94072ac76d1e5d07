"""The administrative tree, the offices that take responsibility, and who works where.

Access in the whole product follows from these rows: a user's memberships say which
departments they act for and in which role, and a department's region (with every
region below it) bounds what they may read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .clock import History


class RegionQuerySet(models.QuerySet):
    def children_map(self) -> dict[int | None, list[int]]:
        """Every region's children, from one query.

        The administrative tree of one installation holds at most a few thousand regions,
        so one query for (id, parent) and a walk in Python beats a recursive query that
        SQLite and PostgreSQL would spell differently.
        """
        children: dict[int | None, list[int]] = {}
        for pk, parent_id in self.model.objects.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        return children

    def subtree_ids(self, roots, children: dict | None = None) -> set[int]:
        """Ids of the given regions and every region below them."""
        root_ids = {getattr(r, "pk", r) for r in roots}
        if not root_ids:
            return set()
        children = self.children_map() if children is None else children
        found, stack = set(), list(root_ids)
        while stack:
            pk = stack.pop()
            if pk in found:
                continue
            found.add(pk)
            stack.extend(children.get(pk, []))
        return found


class Region(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        COUNTY = "county", _("County or district")
        TOWN = "town", _("Town or park")

    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(_("division code"), max_length=12, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="region_unique_name_in_parent"),
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(parent__isnull=True), name="region_unique_root_name"
            ),
            models.CheckConstraint(condition=~models.Q(parent=models.F("pk")), name="region_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name


class DepartmentQuerySet(models.QuerySet):
    def resolve(self, name: str, *, region: Region) -> Department | None:
        """The department of this region that is called `name`, by its name or an alias.

        Plans write the same office several ways (县科技局 and 县商务科技和工业信息化局);
        aliases let every spelling land on one unit.
        """
        name = name.strip()
        return (
            self.filter(region=region)
            .filter(models.Q(name=name) | models.Q(aliases__name=name))
            .distinct()
            .first()
        )


class Department(models.Model):
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="departments"
    )
    email = models.EmailField(_("email"), blank=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["region", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="department_unique_name_in_region"),
        ]

    def __str__(self) -> str:
        return self.name


class DepartmentAlias(models.Model):
    """Another name under which a plan may cite the department."""

    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(_("alias"), max_length=100)

    class Meta:
        verbose_name = _("department alias")
        verbose_name_plural = _("department aliases")
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="alias_unique_per_department"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    REVIEWER = "reviewer", _("Reviewer")
    COORDINATOR = "coordinator", _("Task force coordinator")
    LEADER = "leader", _("Leader")


class Membership(models.Model):
    """A user acting for a department in one role.

    A reporter enters progress for what the department owns, a reviewer accepts or
    returns it, a coordinator (工作专班) runs the plans of the region, and a leader
    reads everything in the region and below without changing anything.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    # who may do what is on record: a role given or taken away
    history = History()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "department", "role"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.department} · {self.get_role_display()}"
