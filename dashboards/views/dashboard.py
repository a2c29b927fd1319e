"""The dashboard page (charts beside their tables) and each chart's .xlsx export."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from common.export import xlsx_response
from common.permissions import require
from dashboards.cache import TIMEOUT, figure_for, figures_for, fragment_key
from dashboards.figures import KEYS
from dashboards.forms.filters import FigureFilters


def filters_for(request) -> FigureFilters:
    return FigureFilters(request.user, request.GET or None)


@login_required
def dashboard(request):
    require(request.user, "dashboards.view")
    filters = filters_for(request)
    places = filters.places()
    computed = figures_for(places)
    figures = computed.value
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "filters": filters,
            "places": places,
            "figures": figures,
            # Called by the template only when its cached fragment is missing.
            "charts": lambda: [figure.chart() for figure in figures],
            "fragment_key": fragment_key(places),
            "fragment_timeout": TIMEOUT,
            "query": filters.query(),
            "computed_at": computed.computed_at,
        },
    )


@login_required
def figure_export(request, key):
    require(request.user, "dashboards.view")
    if key not in KEYS:
        raise Http404
    places = filters_for(request).places()
    figure, _computed_at = figure_for(places, key)
    if figure is None:
        raise Http404
    return xlsx_response(
        filename=f"{key}-{places.year}.xlsx", sheet_title=figure.title, headers=figure.columns, rows=figure.rows
    )
