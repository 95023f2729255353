from django.urls import path

from tradewind.customers.icp import views

app_name = "icp"
urlpatterns = [
    path("", views.profile_list, name="profile-list"),
    path("new/", views.profile_create, name="profile-create"),
    path("<int:pk>/edit/", views.profile_edit, name="profile-edit"),
    path("<int:pk>/active/", views.profile_set_active, name="profile-set-active"),
    path("rescoring/", views.rescore_status, name="rescore-status"),
    path("companies/<int:pk>/screening/", views.screening, name="screening"),
]
