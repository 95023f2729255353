from tradewind.outreach import urls_inbox, urls_letters, urls_mail

app_name = "outreach"
urlpatterns = [*urls_mail.urlpatterns, *urls_letters.urlpatterns, *urls_inbox.urlpatterns]
