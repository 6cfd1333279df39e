"""The role pages, mounted at /roles/: administrators manage who may do what in their subtree."""

from django.urls import path

from dangbo.core import role_views as views

app_name = "roles"
urlpatterns = [
    path("", views.RoleListView.as_view(), name="role_list"),
    path("new/", views.RoleGrantCreateView.as_view(), name="role_create"),
    path("<int:pk>/revoke/", views.RoleRevokeView.as_view(), name="role_delete"),
    path("users/new/", views.UserCreateView.as_view(), name="user_create"),
    path(
        "users/<int:pk>/deactivate/",
        views.UserActiveView.as_view(active=False),
        name="user_deactivate",
    ),
    path(
        "users/<int:pk>/reactivate/",
        views.UserActiveView.as_view(active=True),
        name="user_reactivate",
    ),
    path("users/<int:pk>/password/", views.UserPasswordView.as_view(), name="user_password"),
]
