from django.urls import path

from tradewind.web import views

app_name = "web"
urlpatterns = [path("", views.my_day, name="my-day")]
