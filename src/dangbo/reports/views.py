"""The dashboard: headline figures of the user's subtree as of a date."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from dangbo.admissions.selectors import count_overdue
from dangbo.core.access import top_organizations
from dangbo.organizations.selectors import get_organization, list_ancestors
from dangbo.reports.selectors import headline_figures


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, as_of = self.request.user, self.request.as_of
        tops = top_organizations(user, personal=False)
        requested = self.request.GET.get("organization")
        if requested:
            organization = get_organization(user=user, pk=requested)
        else:
            organization = tops[0] if tops else None
        context.update(nav="dashboard", organization=organization, tops=tops)
        if organization is not None:
            context["figures"] = headline_figures(user=user, organization=organization, as_of=as_of)
            context["admissions_overdue"] = count_overdue(
                user=user, organization=organization, as_of=as_of
            )
            context["ancestors"] = [
                o
                for o in list_ancestors(organization, as_of)
                if o.pk in {t.pk for t in tops} or user.is_superuser
            ]
        return context
