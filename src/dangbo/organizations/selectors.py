"""Reads of the organization tree, as it stood on a given date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import RowNumber
from django.http import Http404

from dangbo.core.access import scope_organization_ids, top_organizations
from dangbo.core.text import search_terms
from dangbo.organizations.models import (
    LEVEL_DEPTH,
    Organization,
    OrganizationClosure,
    OrganizationLevel,
    OrganizationLink,
)

SUBTREE_COUNTS = ("grassroots", "members", "staff")


def _on(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


def subtree_ids(organization_id: int, day: dt.date) -> QuerySet:
    """Ids of the organization and everything under it on ``day`` (a lazy subquery)."""
    return (
        OrganizationClosure.objects.filter(ancestor_id=organization_id)
        .filter(_on(day))
        .values("descendant_id")
    )


def list_roots() -> list[Organization]:
    """Organizations that have no parent today (the tops of the whole tree)."""
    has_parent = OrganizationLink.objects.filter(child_id=OuterRef("pk"), valid_to__isnull=True)
    return list(Organization.objects.exclude(Exists(has_parent)))


def get_organization(*, user, pk, personal: bool = False) -> Organization:
    """One organization the user may see; 404 when it is missing or out of scope."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    organization = Organization.objects.visible_to(user, personal=personal).filter(pk=pk).first()
    if organization is None:
        raise Http404
    return organization


def get_parent(organization: Organization, day: dt.date) -> Organization | None:
    link = (
        OrganizationLink.objects.filter(child=organization)
        .filter(_on(day))
        .select_related("parent")
        .first()
    )
    return link.parent if link else None


def list_ancestors(organization: Organization, day: dt.date) -> list[Organization]:
    """From the top down to the organization's parent, as the tree stood on ``day``."""
    rows = (
        OrganizationClosure.objects.filter(descendant=organization, depth__gt=0)
        .filter(_on(day))
        .select_related("ancestor")
        .order_by("-depth")
    )
    return [row.ancestor for row in rows]


def place_of_issue(organization: Organization, day: dt.date) -> str:
    """The place written before the date on what the organization issues: its own place name,
    else that of its nearest ancestor in the tree as of ``day``; "" when none has one (the forms
    then leave dots to write it by hand). One query, which reads the organization's own place
    too, so that a stale instance does not matter."""
    nearest = (
        OrganizationClosure.objects.filter(descendant_id=organization.pk)
        .filter(_on(day))
        .exclude(ancestor__place_name="")
        .order_by("depth")
        .values_list("ancestor__place_name", flat=True)
        .first()
    )
    return nearest or ""


def list_children(organization: Organization, day: dt.date) -> QuerySet[Organization]:
    """Direct sub-organizations on ``day`` that exist on that day."""
    child_ids = (
        OrganizationLink.objects.filter(parent=organization).filter(_on(day)).values("child_id")
    )
    return Organization.objects.filter(id__in=child_ids).active_on(day)


def list_organizations(*, user, day: dt.date, within: Organization | None = None, q: str = ""):
    """Organizations the user may see (counts scope), active on ``day``, optionally in a subtree."""
    qs = Organization.objects.visible_to(user).active_on(day)
    if within is not None:
        qs = qs.filter(id__in=subtree_ids(within.pk, day))
    for term in search_terms(q):
        qs = qs.filter(Q(search_name__contains=term) | Q(code__icontains=term))
    return qs


# --- Counts per subtree and the tree browser ------------------------------------------------------


def _count(queryset: QuerySet, column: str = "id", *, distinct: bool = False) -> Subquery:
    """``SELECT COUNT(column)`` of a correlated queryset, as one scalar subquery (no GROUP BY)."""
    template = "COUNT(DISTINCT %(expressions)s)" if distinct else "COUNT(%(expressions)s)"
    counted = queryset.order_by().annotate(
        _n=Func(F(column), template=template, output_field=IntegerField())
    )
    return Subquery(counted.values("_n"), output_field=IntegerField())


def subtree_count_annotations(
    *, user, day: dt.date, outer: str = "pk", counts: tuple[str, ...] = SUBTREE_COUNTS
) -> dict[str, Subquery]:
    """Annotations counting, for each row's organization (``outer``), the grassroots
    organizations, members and staff of its subtree as it stood on ``day``, within the user's
    count scope. Each is one correlated subquery: a page of rows costs one statement."""
    from dangbo.members.models import Employment, MembershipPeriod, MemberStatus

    subtree = (
        OrganizationClosure.objects.filter(ancestor_id=OuterRef(OuterRef(outer)))
        .filter(_on(day))
        .values("descendant_id")
    )
    scope = None if user.is_superuser else scope_organization_ids(user, personal=False)

    def scoped(queryset: QuerySet, column: str) -> QuerySet:
        return queryset if scope is None else queryset.filter(**{f"{column}__in": scope})

    annotations: dict[str, Subquery] = {}
    if "grassroots" in counts:
        grassroots = (
            OrganizationClosure.objects.filter(ancestor_id=OuterRef(outer))
            .filter(_on(day))
            .filter(descendant__level=OrganizationLevel.GRASSROOTS)
            .filter(Q(descendant__founded_on__isnull=True) | Q(descendant__founded_on__lte=day))
            .filter(Q(descendant__dissolved_on__isnull=True) | Q(descendant__dissolved_on__gt=day))
        )
        annotations["grassroots_count"] = _count(scoped(grassroots, "descendant_id"))
    if "members" in counts:
        members = MembershipPeriod.objects.filter(_on(day)).filter(
            organization_id__in=subtree,
            status__in=[MemberStatus.PROBATIONARY, MemberStatus.FULL],
        )
        annotations["member_count"] = _count(scoped(members, "organization_id"))
    if "staff" in counts:
        staff = Employment.objects.filter(organization_id__in=subtree, start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=day)
        )
        annotations["staff_count"] = _count(
            scoped(staff, "organization_id"), "person_id", distinct=True
        )
    return annotations


def list_sub_organizations(
    *, user, organization: Organization, day: dt.date
) -> QuerySet[Organization]:
    """Direct sub-organizations the user may see on ``day``, each annotated with the counts of
    its subtree (``grassroots_count``, ``member_count``, ``staff_count``)."""
    return (
        list_children(organization, day)
        .filter(id__in=scope_organization_ids(user, personal=False))
        .annotate(**subtree_count_annotations(user=user, day=day))
        .order_by("sort_key", "id")
    )


@dataclass
class TreeNode:
    """One organization of the tree browser, with the first of its children on the date."""

    organization: Organization
    children: list[TreeNode] = field(default_factory=list)
    child_total: int = 0
    is_active: bool = True

    @property
    def hidden_children(self) -> int:
        return self.child_total - len(self.children)

    @property
    def shows_grassroots(self) -> bool:
        """Only committees above the grassroots have grassroots organizations to count."""
        return LEVEL_DEPTH[self.organization.level] < LEVEL_DEPTH[OrganizationLevel.GRASSROOTS]


def list_scope_tops(user) -> list[Organization]:
    """The tops of the user's count scope, dropping those lying under another of them today."""
    tops = top_organizations(user, personal=False)
    if len(tops) < 2:
        return list(tops)
    ids = [o.pk for o in tops]
    covered = set(
        OrganizationClosure.objects.filter(
            ancestor_id__in=ids, descendant_id__in=ids, depth__gt=0, valid_to__isnull=True
        ).values_list("descendant_id", flat=True)
    )
    return [o for o in tops if o.pk not in covered]


def _children_nodes(
    *, user, parent_ids: list[int], day: dt.date, limit: int, counts: tuple[str, ...]
) -> dict[int, tuple[list[TreeNode], int]]:
    """For each parent: its first ``limit`` visible children on ``day`` (with subtree counts)
    and how many there are in all. Two statements whatever the number of parents."""
    if not parent_ids:
        return {}
    links = (
        OrganizationLink.objects.filter(parent_id__in=parent_ids)
        .filter(_on(day))
        .filter(child_id__in=Organization.objects.visible_to(user).active_on(day).values("id"))
    )
    ranked = links.annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("parent_id")],
            order_by=[F("child__sort_key").asc(), F("child_id").asc()],
        ),
        total=Window(Count("id"), partition_by=[F("parent_id")]),
    ).filter(rank__lte=limit)
    first = list(ranked.values_list("id", "total"))
    totals_by_link = dict(first)
    rows = (
        OrganizationLink.objects.filter(id__in=list(totals_by_link))
        .select_related("child")
        .annotate(**subtree_count_annotations(user=user, day=day, outer="child_id", counts=counts))
        .order_by("child__sort_key", "child_id")
    )
    result: dict[int, tuple[list[TreeNode], int]] = {}
    for link in rows:
        child = link.child
        for name in ("grassroots_count", "member_count", "staff_count"):
            if hasattr(link, name):
                setattr(child, name, getattr(link, name))
        nodes, _total = result.setdefault(link.parent_id, ([], totals_by_link[link.id]))
        nodes.append(TreeNode(organization=child))
    return result


def build_tree(
    *, user, day: dt.date, child_limit: int = 50, grandchild_limit: int = 20
) -> list[TreeNode]:
    """The tops of the user's scope, their children and grandchildren as the tree stood on
    ``day``; each level capped so that a scope of 10,000 grassroots organizations stays small.
    A fixed number of statements, whatever the size of the tree."""
    tops = list_scope_tops(user)
    if not tops:
        return []
    annotated = {
        o.pk: o
        for o in Organization.objects.filter(id__in=[t.pk for t in tops]).annotate(
            **subtree_count_annotations(user=user, day=day, counts=("grassroots", "members"))
        )
    }
    nodes = [
        TreeNode(organization=annotated.get(t.pk, t), is_active=t.is_active_on(day)) for t in tops
    ]
    level = nodes
    for limit in (child_limit, grandchild_limit):
        by_parent = _children_nodes(
            user=user,
            parent_ids=[n.organization.pk for n in level],
            day=day,
            limit=limit,
            counts=("grassroots", "members"),
        )
        next_level: list[TreeNode] = []
        for node in level:
            children, total = by_parent.get(node.organization.pk, ([], 0))
            node.children, node.child_total = children, total
            next_level.extend(children)
        level = next_level
    return nodes


def annotate_parent(queryset: QuerySet[Organization], *, user, day: dt.date) -> QuerySet:
    """Add ``parent_pk`` and ``parent_name``: the parent on ``day``, when the user may see it."""
    link = (
        OrganizationLink.objects.filter(child_id=OuterRef("pk"))
        .filter(_on(day))
        .filter(parent_id__in=scope_organization_ids(user, personal=False))
    )
    return queryset.annotate(
        parent_pk=Subquery(link.values("parent_id")[:1]),
        parent_name=Subquery(link.values("parent__name")[:1]),
    )
