from django.urls import path

from dangbo.reports import file_views, review_views, views

app_name = "reports"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("statistics/events/", views.StatisticsEventListView.as_view(), name="statistics_events"),
    path(
        "statistics/organizations/",
        views.StatisticsOrganizationListView.as_view(),
        name="statistics_organizations",
    ),
    path(
        "statistics/forms/<str:key>.xlsx",
        file_views.StatisticsFormDownloadView.as_view(),
        name="statistics_form_xlsx",
    ),
    path(
        "statistics/register.xlsx",
        file_views.MemberRegisterDownloadView.as_view(),
        name="member_register_xlsx",
    ),
    path(
        "statistics/review.docx",
        review_views.ReviewReportDownloadView.as_view(),
        name="review_report_docx",
    ),
]
