"""The dashboard page (charts beside their tables) and each chart's .xlsx export.

A page read from the cache (``dashboards.cache``) renders only the layout around two stored
pieces: the filter bar and the charts with their tables.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from common.export import xlsx_response
from common.permissions import require
from dashboards.cache import chosen_filters, dashboard_body, figure_for
from dashboards.figures import KEYS


@login_required
def dashboard(request):
    require(request.user, "dashboards.view")
    chosen = chosen_filters(request.user, request.GET)
    body = dashboard_body(chosen.places, chosen.query)
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "filters_html": chosen.html,
            "filters_summary": chosen.summary,
            "places": chosen.places,
            "query": chosen.query,
            "body": body.value,
            "computed_at": body.computed_at,
        },
    )


@login_required
def figure_export(request, key):
    require(request.user, "dashboards.view")
    if key not in KEYS:
        raise Http404
    places = chosen_filters(request.user, request.GET).places
    figure, _computed_at = figure_for(places, key)
    if figure is None:
        raise Http404
    return xlsx_response(
        filename=f"{key}-{places.year}.xlsx", sheet_title=figure.title, headers=figure.columns, rows=figure.rows
    )
