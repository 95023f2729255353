"""The new-inquiries inbox (engineer O3): mail from unknown senders, to turn into leads."""

from django.urls import path

from tradewind.outreach import views_inbox

urlpatterns: list = [
    path("inbox/", views_inbox.inbox_list, name="inbox"),
    path("inbox/<int:pk>/", views_inbox.inbox_message, name="inbox-message"),
    path("inbox/<int:pk>/lead/", views_inbox.inbox_convert, name="inbox-convert"),
    path("inbox/<int:pk>/file/", views_inbox.inbox_file, name="inbox-file"),
    path("inbox/<int:pk>/dismiss/", views_inbox.inbox_dismiss, name="inbox-dismiss"),
    path("inbox/<int:pk>/restore/", views_inbox.inbox_restore, name="inbox-restore"),
]
