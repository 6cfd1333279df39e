from django.urls import path

from dangbo.targets import views

app_name = "terms"
urlpatterns = [
    path("", views.TermListView.as_view(), name="term_list"),
    path("new/", views.TermCreateView.as_view(), name="term_create"),
    # <str:pk>: a non-numeric id reaches the view and answers 404 like a missing one.
    path("<str:pk>/", views.TermDetailView.as_view(), name="term_detail"),
    path("<str:pk>/target/", views.TargetSetView.as_view(), name="target_set"),
]
