from django.urls import path, register_converter

from . import views


# ASCII digits only: `\d` would take fullwidth ones (２０２２) too.
class YearConverter:
    regex = r"[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:04d}"


class TableConverter:
    regex = r"[0-9]{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class FormatConverter(TableConverter):
    regex = r"pdf|xlsx|csv|json"


class CodeConverter(TableConverter):
    regex = r"[0-9]{1,32}"


class RevisionConverter(YearConverter):
    regex = r"[1-9][0-9]{0,3}"

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(YearConverter, "year")
register_converter(CodeConverter, "code")
register_converter(RevisionConverter, "rev")
register_converter(FormatConverter, "fmt")
register_converter(TableConverter, "table")

app_name = "disclosures"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("regions/<int:pk>/", views.region_detail, name="region"),
    path("departments/<code:code>/", views.department_detail, name="department"),
    path("departments/<code:code>/compare/", views.department_compare, name="compare"),
    path("departments/<code:code>/<year:year>/", views.report_detail, name="report"),
    path(
        "departments/<code:code>/<year:year>/tables/<table:number>/",
        views.table_detail,
        name="table",
    ),
    path(
        "departments/<code:code>/<year:year>/download.<fmt:fmt>",
        views.report_file,
        name="report_file",
    ),
    path(
        "departments/<code:code>/<year:year>/tables/<table:number>/download.<fmt:fmt>",
        views.table_file,
        name="table_file",
    ),
    # An earlier (or any) revision at its own address; the addresses above show the latest.
    path(
        "departments/<code:code>/<year:year>/r<rev:revision>/",
        views.report_detail,
        name="report_rev",
    ),
    path(
        "departments/<code:code>/<year:year>/r<rev:revision>/tables/<table:number>/",
        views.table_detail,
        name="table_rev",
    ),
    path(
        "departments/<code:code>/<year:year>/r<rev:revision>/download.<fmt:fmt>",
        views.report_file,
        name="report_file_rev",
    ),
    path(
        "departments/<code:code>/<year:year>/r<rev:revision>/tables/<table:number>/download.<fmt:fmt>",
        views.table_file,
        name="table_file_rev",
    ),
    path("data/", views.data_help, name="data_help"),
]
