from django.urls import path

from dangbo.organizations import views

app_name = "organizations"
urlpatterns = [
    path("", views.OrganizationListView.as_view(), name="organization_list"),
    path("new/", views.OrganizationCreateView.as_view(), name="organization_create"),
    path("export/", views.OrganizationExportView.as_view(), name="organization_export"),
    # <str:pk>: a non-numeric id reaches the view and answers 404 like a missing one.
    path("<str:pk>/", views.OrganizationDetailView.as_view(), name="organization_detail"),
    path("<str:pk>/edit/", views.OrganizationUpdateView.as_view(), name="organization_update"),
]
