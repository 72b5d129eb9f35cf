from django.contrib import admin
from django.urls import include, path

from onewindow.api.urls import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("v/", include("onewindow.certificates.urls")),
    path("", include("onewindow.portal.urls")),
]

handler400 = "onewindow.portal.errors.bad_request"
handler403 = "onewindow.portal.errors.forbidden"
handler404 = "onewindow.portal.errors.not_found"
handler500 = "onewindow.portal.errors.server_error"
