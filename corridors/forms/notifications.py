from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class NoticePreferenceForm(forms.Form):
    """How one wants to be told: the inbox only, or the inbox and e-mail; e-mails' language."""

    by_email = forms.TypedChoiceField(
        label=_("How to tell me"),
        choices=[("1", _("In the inbox and by e-mail")), ("0", _("In the inbox only"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(
        label=_("Language of e-mails"),
        choices=[("", _("The site's language"))] + list(settings.LANGUAGES),
        required=False,
    )
