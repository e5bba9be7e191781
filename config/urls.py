from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from disclosures.staff_views import guide_urls


class FaviconRedirect(RedirectView):
    """/favicon.ico, which browsers ask for on their own, to the static file: the name is looked
    up per request, as it is a hashed one once collected."""

    def get_redirect_url(self, *args, **kwargs) -> str:
        return static("favicon.ico")


urlpatterns = [
    path("favicon.ico", FaviconRedirect.as_view()),
    *guide_urls(admin.site),
    path("admin/", admin.site.urls),
    path("evaluations/", include("performance.urls")),
    path("", include("disclosures.urls")),
]

# The error pages (config/errors.py): Chinese, public or admin look by the address.
handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
