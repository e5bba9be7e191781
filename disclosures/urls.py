from django.urls import path, register_converter

from . import views


class YearConverter:
    regex = r"\d{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:04d}"


class TableConverter:
    regex = r"\d{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class FormatConverter(TableConverter):
    regex = r"pdf|xlsx|csv|json"


register_converter(YearConverter, "year")
register_converter(FormatConverter, "fmt")
register_converter(TableConverter, "table")

app_name = "disclosures"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("departments/<str:code>/", views.department_detail, name="department"),
    path("departments/<str:code>/compare/", views.department_compare, name="compare"),
    path("departments/<str:code>/<year:year>/", views.report_detail, name="report"),
    path(
        "departments/<str:code>/<year:year>/tables/<table:number>/",
        views.table_detail,
        name="table",
    ),
    path(
        "departments/<str:code>/<year:year>/download.<fmt:fmt>",
        views.report_file,
        name="report_file",
    ),
    path(
        "departments/<str:code>/<year:year>/tables/<table:number>/download.<fmt:fmt>",
        views.table_file,
        name="table_file",
    ),
    path("data/", views.data_help, name="data_help"),
]
