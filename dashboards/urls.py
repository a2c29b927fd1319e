from django.urls import path

from dashboards.views import dashboard, report

app_name = "dashboards"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("export/<slug:key>.xlsx", dashboard.figure_export, name="export"),
    path("year-end/", report.year_end, name="year_end"),
    path("year-end.xlsx", report.year_end_xlsx, name="year_end_xlsx"),
]
