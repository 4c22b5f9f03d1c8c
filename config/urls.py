from django.contrib import admin
from django.urls import include, path

from giamngheo.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("", include("giamngheo.web.urls")),
]
