"""Inquiry pages, at /inquiries/."""

from django.urls import path

from tradewind.quotes import views_inquiries as views

app_name = "inquiries"

urlpatterns: list = [
    path("", views.inquiry_list, name="list"),
    path("new/", views.inquiry_pick_customer, name="create"),
    path("new/customer/<int:pk>/", views.inquiry_create, name="create-for-company"),
    path("new/from-message/<int:pk>/", views.inquiry_from_message, name="from-message"),
    path("<int:pk>/", views.inquiry_detail, name="detail"),
    path("<int:pk>/edit/", views.inquiry_edit, name="edit"),
    path("<int:pk>/checklist/fill/", views.checklist_fill, name="checklist-fill"),
    path("<int:pk>/checklist/waive/", views.checklist_waive, name="checklist-waive"),
    path("<int:pk>/checklist/unwaive/", views.checklist_unwaive, name="checklist-unwaive"),
    path("<int:pk>/reply/", views.inquiry_respond, name="respond"),
    path("<int:pk>/close/", views.inquiry_close, name="close"),
    path("<int:pk>/reopen/", views.inquiry_reopen, name="reopen"),
    path("<int:pk>/lines/", views.line_add, name="line-add"),
    path("lines/<int:pk>/edit/", views.line_edit, name="line-edit"),
    path("lines/<int:pk>/delete/", views.line_delete, name="line-delete"),
]
