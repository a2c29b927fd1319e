"""The street filter of the staff lists costs no query for a reader of one street, and the
dashboards permission is answered from the reader's loaded roles (no query)."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from corridors.forms.street_filter import add_street_field
from corridors.models import Oversight, Street
from corridors.selectors import scope_of
from dashboards.rules import reads_a_street

pytestmark = pytest.mark.django_db


def test_one_street_gets_no_field_and_no_query(world):
    form = forms.Form()
    street_ids = scope_of(world.alice).visible_streets
    with CaptureQueriesContext(connection) as queries:
        add_street_field(form, street_ids)
    assert "street" not in form.fields
    assert queries.captured_queries == []


def test_several_streets_offer_a_choice_among_them_only(world):
    form = forms.Form()
    add_street_field(form, {world.street.pk, world.other_street.pk})
    assert set(form.fields["street"].queryset) == {world.street, world.other_street}
    # A queryset is still taken (as the funds lists pass it).
    form = forms.Form()
    add_street_field(form, Street.objects.filter(pk=world.street.pk))
    assert "street" not in form.fields


def test_the_dashboards_permission_needs_no_query_once_the_roles_are_loaded(world):
    for user, allowed in ((world.alice, True), (world.fay, True), (world.carl, False)):
        scope_of(user)
        with CaptureQueriesContext(connection) as queries:
            assert reads_a_street.test(user) is allowed
        assert queries.captured_queries == []
        assert user.has_perm("dashboards.view") is allowed
    viewer = world.carl
    Oversight.objects.create(user=viewer, district=world.street.district)
    viewer._corridor_scope = None
    assert viewer.has_perm("dashboards.view")
