"""The error summary at the top of a form page (issue 14): one line per problem, in plain
words that name the field, each a link to it.

Both layouts (``templates/layouts/``) call ``{% page_error_summary %}`` above the page's content,
so every form page gets one without a line of its own: it finds the page's forms with errors in
the template context. ``{% error_summary form other_form %}`` still places one by hand (a page
shown without a layout, an htmx fragment); a form already summarised higher up is not repeated."""

from collections.abc import Mapping

from django import forms as django_forms
from django import template
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

register = template.Library()


def _sentence(label, error):
    """Django's generic words ("This field is required.") say nothing of which field: ours do."""
    if error.code == "required":
        return _("Please fill in “%(field)s”.") % {"field": label}
    if error.code in ("invalid_choice", "invalid_pk_value"):
        return _("Please choose “%(field)s” from the list.") % {"field": label}
    return _("“%(field)s”: %(message)s") % {"field": label, "message": " ".join(error.messages)}


SUMMARISED = "_error_summarised"
GENERIC = ("required", "invalid_choice", "invalid_pk_value")


def _plain_beside_the_field(form, name, label):
    """The message under the field says the same plain sentence as the summary, not Django's
    "This field is required." (the summary runs before the form is drawn)."""
    errors = form.errors[name]
    errors.data = [
        ValidationError(_sentence(label, error), code=error.code)
        if isinstance(error, ValidationError) and error.code in GENERIC
        else error
        for error in errors.data
    ]


SAVE_AGAIN = gettext_lazy("Please check these and save again (what you typed is kept):")


@register.simple_tag
def error_summary(*forms):
    """The heading says what sending the form again does: a form that does not save (a
    sign-up, a reason given to see a number) names its own step (``error_summary_heading``);
    the first form with errors that names one wins."""
    items = []
    heading = None
    for form in forms:
        if form is None or not form.is_bound or getattr(form, SUMMARISED, False) or not form.errors:
            continue
        setattr(form, SUMMARISED, True)
        heading = heading or getattr(form, "error_summary_heading", None)
        for name, errors in form.errors.as_data().items():
            if name == "__all__" or name not in form.fields:
                items += [("", message) for error in errors for message in error.messages]
                continue
            field = form[name]
            label = field.label or name
            items += [(field.id_for_label, _sentence(label, error)) for error in errors]
            _plain_beside_the_field(form, name, label)
    if not items:
        return ""
    return render_to_string("includes/error_summary.html", {"items": items, "heading": heading or SAVE_AGAIN})


def _forms_in(value, depth=0):
    """Forms in a context value: the value itself, or inside a dict/list/tuple one level down
    (``forms.street``), or a formset's forms. ``type()``, not ``isinstance()``: a lazy value
    (the CSRF token, the user) is left unevaluated, so a page that shows no form sets no
    cookie and stays cacheable."""
    kind = type(value)
    if issubclass(kind, django_forms.BaseForm):
        yield value
    elif issubclass(kind, django_forms.BaseFormSet):
        yield from value.forms
    elif depth == 0 and issubclass(kind, Mapping):
        for item in value.values():
            yield from _forms_in(item, depth + 1)
    elif depth == 0 and issubclass(kind, list | tuple):
        for item in value:
            yield from _forms_in(item, depth + 1)


@register.simple_tag(takes_context=True)
def page_error_summary(context):
    """One summary for every form of the page that came back with errors, in the order the
    view put them in the context."""
    seen, found = set(), []
    for key, value in context.flatten().items():
        if key in ("view", "request", "perms", "messages"):
            continue
        for form in _forms_in(value):
            if id(form) not in seen:
                seen.add(id(form))
                found.append(form)
    return error_summary(*found)
