"""Mail pages (engineer O1): mailboxes, the suppression list, the public unsubscribe link."""

from django.urls import path

from tradewind.outreach import views_mail

urlpatterns = [
    path("mailbox/", views_mail.my_mailbox, name="mailbox"),
    path("mailbox/workspace/", views_mail.workspace_mailbox, name="workspace-mailbox"),
    path("mailbox/<int:pk>/test/", views_mail.mailbox_test, name="mailbox-test"),
    path("suppression/", views_mail.suppression_list, name="suppression-list"),
    path("suppression/<int:pk>/remove/", views_mail.suppression_remove, name="suppression-remove"),
    path("u/<str:token>/", views_mail.unsubscribe, name="unsubscribe"),
]
