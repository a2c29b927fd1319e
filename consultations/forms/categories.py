"""The street's request categories."""

from django import forms
from django.utils.translation import gettext_lazy as _

from corridors.models import Street


class CategoryForm(forms.Form):
    street = forms.ModelChoiceField(label=_("Street"), queryset=Street.objects.none(), empty_label=None)
    name = forms.CharField(label=_("New category"), max_length=50)

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = streets
        offered = list(streets)
        self.several_streets = len(offered) > 1
        if len(offered) == 1:
            # One street (the usual deployment): nothing to choose.
            self.fields["street"].initial = offered[0].pk
            self.fields["street"].widget = forms.HiddenInput()


class CategoryRenameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)


class CategoryActiveForm(forms.Form):
    active = forms.BooleanField(required=False)
