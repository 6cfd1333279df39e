"""The rule and calendar pages, mounted at /rules/: the national rule set with its versions, the
working-day calendar and its deadline calculator."""

from django.urls import path

from dangbo.core import calendar_views, rule_views

app_name = "rules"
urlpatterns = [
    path("", rule_views.RuleListView.as_view(), name="rule_list"),
    path("calendar/", calendar_views.CalendarView.as_view(), name="calendar"),
    path(
        "calendar/new/", calendar_views.CalendarDayCreateView.as_view(), name="calendar_day_create"
    ),
    path(
        "calendar/<int:pk>/remove/",
        calendar_views.CalendarDayDeleteView.as_view(),
        name="calendar_day_delete",
    ),
    path("<str:key>/new/", rule_views.RuleVersionCreateView.as_view(), name="rule_version_create"),
]
