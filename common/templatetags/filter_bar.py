"""A staff list's filter fields in crispy's Bootstrap 5 markup, written in Python.

``{{ field|as_crispy_field }}`` renders one field through about a dozen templates (crispy's
field, its help and error includes, Django's widget, its attributes and one template per
option): 1–2 ms of CPU a field, the largest part of a list page's render. ``filter_field``
writes the same markup (tests/common/test_filter_bar.py compares the two field by field) for
the widgets a filter bar uses (text, number, date, search inputs, selects and checkboxes) and
hands any other field to crispy.
"""

import copy

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.forms.widgets import Input
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

# Django's input widgets whose template is ``input.html`` alone (``text.html`` and the like
# only include it); a project or widget with another template goes to crispy.
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("text", "number", "email", "url", "search", "tel", "date", "datetime", "time", "checkbox")
)
_SELECT_TEMPLATE = "django/forms/widgets/select.html"
_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> SafeString:
    """Django's ``attrs.html``: `` name="value"``, a bare name for True, nothing for False."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value)),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


def _option(option: dict) -> str:
    # Plain string building, each value escaped once: a district reader's request filters list
    # some 160 options, and format_html's per-argument work was most of the bar's cost.
    attrs = option["attrs"]
    return (
        f'\n  <option value="{conditional_escape(str(option["value"]))}"{_attrs(attrs) if attrs else ""}>'
        f"{conditional_escape(option['label'])}</option>"
    )


def _widget_html(widget, context: dict) -> SafeString:
    if widget.template_name == _SELECT_TEMPLATE:
        parts = [f'<select name="{conditional_escape(context["name"])}"{_attrs(context["attrs"])}>']
        for group_name, options, _index in context["optgroups"]:
            choices = "".join(_option(option) for option in options)
            if group_name:
                choices = f'\n  <optgroup label="{conditional_escape(group_name)}">{choices}\n  </optgroup>'
            parts.append(choices)
        parts.append("\n</select>")
        return SafeString("".join(parts))
    value = context["value"]
    shown = format_html(' value="{}"', str(value)) if value is not None else ""
    return format_html(
        '<input type="{}" name="{}"{}{}>', context["type"], context["name"], shown, _attrs(context["attrs"])
    )


def _supported(field) -> bool:
    widget = field.field.widget
    if getattr(field.form, "helper", None) is not None or field.field.localize or field.field.show_hidden_initial:
        return False  # a crispy helper's settings, localised or doubled inputs: crispy's own way
    if widget.template_name == _SELECT_TEMPLATE:
        return widget.option_template_name == _OPTION_TEMPLATE and not widget.allow_multiple_selected
    return isinstance(widget, Input) and widget.template_name in _INPUT_TEMPLATES


def _with_class(widget, css: str):
    """A copy of ``widget`` with crispy's classes: the widget's class name, then ``css``."""
    class_name = type(widget).__name__.lower()
    classes = widget.attrs.get("class", "")
    if not classes:
        classes = class_name
    elif class_name not in classes:
        classes += f" {class_name}"
    for name in css.split():
        if name not in classes.split():
            classes += f" {name}"
    widget = copy.copy(widget)
    widget.attrs = {**widget.attrs, "class": classes}
    return widget


def _errors_and_help(field) -> SafeString:
    errors = help_text = ""
    if field.errors:
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            str(getattr(field.errors, "field_id", None)),
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((number, field.auto_id, error) for number, error in enumerate(field.errors, start=1)),
            ),
        )
    if field.help_text:
        # crispy shows help text unescaped (``|safe``): it is the form's own, never the user's.
        shown = SafeString(field.help_text)
        if field.auto_id:
            help_text = format_html('<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, shown)
        else:
            help_text = format_html('<div class="form-text">{}</div>', shown)
    return format_html("{}{}", errors, help_text)


@register.filter
def filter_field(field) -> SafeString:
    """``field`` as ``{{ field|as_crispy_field }}`` shows it, without its templates."""
    if field.is_hidden or not _supported(field):
        return as_crispy_field(field)
    widget = field.field.widget
    checkbox = isinstance(widget, forms.CheckboxInput)
    if checkbox:
        css = "form-check-input"
    elif widget.template_name == _SELECT_TEMPLATE:
        css = "form-select"
    else:
        css = "form-control"
    widget = _with_class(widget, f"{css} is-invalid" if field.errors else css)
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    control = _widget_html(widget, widget.get_context(field.html_name, field.value(), attrs)["widget"])
    required = field.field.required
    marker = format_html('<span class="{}">*</span>', "asteriskField") if required else ""
    required_class = " requiredField" if required else ""
    extra = f" {field.css_classes()}" if field.css_classes() else ""
    label_for = format_html(' for="{}"', field.id_for_label) if field.id_for_label else ""
    label = format_html("{}{}", field.label, marker)
    if checkbox:
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check{}">{}'
            '<label{} class="form-check-label{}">{}</label>{}</div></div>',
            field.auto_id,
            extra,
            control,
            label_for,
            required_class,
            label,
            _errors_and_help(field),
        )
    heading = ""
    if field.label:
        heading = format_html('<label{} class="form-label{}">{}</label>', label_for, required_class, label)
    return format_html(
        '<div id="div_{}" class="mb-3{}">{}{}{}</div>', field.auto_id, extra, heading, control, _errors_and_help(field)
    )
