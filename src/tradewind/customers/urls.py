from django.urls import path

from tradewind.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.company_list, name="company-list"),
    path("new/", views.company_create, name="company-create"),
    path("<int:pk>/", views.company_detail, name="company-detail"),
    path("<int:pk>/edit/", views.company_edit, name="company-edit"),
    path("<int:pk>/delete/", views.company_delete, name="company-delete"),
    path("<int:pk>/contacts/new/", views.contact_create, name="contact-create"),
    path("<int:pk>/activities/new/", views.activity_create, name="activity-create"),
    path("<int:pk>/tasks/new/", views.task_create, name="task-create"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact-edit"),
    path("contacts/<int:pk>/delete/", views.contact_delete, name="contact-delete"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="activity-delete"),
    path("tasks/", views.task_list, name="task-list"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task-edit"),
    path("tasks/<int:pk>/done/", views.task_complete, name="task-complete"),
    path("tasks/<int:pk>/delete/", views.task_delete, name="task-delete"),
]
