from django.contrib import admin
from django.urls import include, path

from disclosures.staff_views import guide_urls

urlpatterns = [
    *guide_urls(admin.site),
    path("admin/", admin.site.urls),
    path("evaluations/", include("performance.urls")),
    path("", include("disclosures.urls")),
]
