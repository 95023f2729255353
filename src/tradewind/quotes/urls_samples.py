from django.urls import path

from tradewind.quotes import views_samples as views

app_name = "samples"

urlpatterns = [
    path("", views.sample_list, name="sample-list"),
    path("new/", views.sample_create, name="sample-create"),
    path("report/", views.sample_report, name="sample-report"),
    path("<int:pk>/", views.sample_detail, name="sample-detail"),
    path("<int:pk>/edit/", views.sample_edit, name="sample-edit"),
    path("<int:pk>/status/", views.sample_status, name="sample-status"),
    path("<int:pk>/ship/", views.sample_ship, name="sample-ship"),
    path("<int:pk>/deliver/", views.sample_deliver, name="sample-deliver"),
    path("<int:pk>/feedback/", views.sample_feedback, name="sample-feedback"),
    path("<int:pk>/decide/", views.sample_decide, name="sample-decide"),
    path("<int:pk>/items/", views.sample_item_add, name="sample-item-add"),
    path("items/<int:pk>/delete/", views.sample_item_delete, name="sample-item-delete"),
]
