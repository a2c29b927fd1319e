"""The error summary at the top of a form page (issue 14): one line per problem, in plain
words that name the field, each a link to it. ``{% error_summary form other_form %}``."""

from django import template
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

register = template.Library()


def _sentence(label, error):
    """Django's generic words ("This field is required.") say nothing of which field: ours do."""
    if error.code == "required":
        return _("Please fill in “%(field)s”.") % {"field": label}
    if error.code in ("invalid_choice", "invalid_pk_value"):
        return _("Please choose “%(field)s” from the list.") % {"field": label}
    return _("“%(field)s”: %(message)s") % {"field": label, "message": " ".join(error.messages)}


@register.simple_tag
def error_summary(*forms):
    items = []
    for form in forms:
        if form is None or not form.is_bound or not form.errors:
            continue
        for name, errors in form.errors.as_data().items():
            if name == "__all__" or name not in form.fields:
                items += [("", message) for error in errors for message in error.messages]
                continue
            field = form[name]
            label = field.label or name
            items += [(field.id_for_label, _sentence(label, error)) for error in errors]
    if not items:
        return ""
    return render_to_string("includes/error_summary.html", {"items": items})
