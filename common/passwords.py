"""Password rules, in the site's words and language (AUTH_PASSWORD_VALIDATORS).

Django's own length message has no Chinese in Django's catalogue, so the length and the
common-password rules are ours, translated in ours. The common-password rule also refuses the
words anyone guessing at this site would try first (its own name, the street's).
"""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# What someone guessing at this site tries first, compared without case, spaces or dashes.
SITE_WORDS = frozenset(
    {
        "corridor",
        "corridors",
        "loudao",
        "楼道",
        "楼道微自治",
        "siping",
        "sipinglu",
        "四平路",
        "heping",
        "hepinghuayuan",
        "password",
        "mima",
        "密码",
        "admin",
        "administrator",
        "qwertyuiop",
        "woaini",
    }
)


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def __init__(self, min_length=10):
        super().__init__(min_length)

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(self.get_error_message(), code="password_too_short")

    def get_error_message(self):
        return ngettext(
            "This password is too short: it must have at least %(min_length)d character.",
            "This password is too short: it must have at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self):
        return ngettext(
            "At least %(min_length)d character.", "At least %(min_length)d characters.", self.min_length
        ) % {"min_length": self.min_length}


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def validate(self, password, user=None):
        plain = password.lower().strip()
        folded = plain.replace(" ", "").replace("-", "").replace("_", "")
        if plain in self.passwords or folded in SITE_WORDS:
            raise ValidationError(self.get_error_message(), code="password_too_common")

    def get_error_message(self):
        return _("This password is one of the first that anyone guessing would try. Please choose another.")

    def get_help_text(self):
        return _("Not a common password, nor the name of this site or street.")
