"""Public verification page, mounted at /v/ by the root URLconf."""

from django.urls import path

from onewindow.certificates import views

app_name = "certificates"
urlpatterns = [path("", views.verify_page, name="verify")]
