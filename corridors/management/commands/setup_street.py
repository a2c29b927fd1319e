"""``manage.py setup_street --district 杨浦区 --street 四平路街道 --staff-username zhang ...``

For scripted installs: the district, the street and its office staff (and finance approvers),
each created if missing; running it again changes nothing. A new account needs its full name
and a password (``--staff-password``, or the environment variable ``SETUP_STREET_PASSWORD``);
an existing account keeps its password. Messages in Chinese.
"""

import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from common.refusals import Refused
from corridors.models import Role, User
from corridors.services.districts import district_ensure, street_appoint, street_ensure
from corridors.services.people import user_create


class Command(BaseCommand):
    help = "Create a district, a street and its office staff and finance approvers (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--district", required=True, help="区, for example 杨浦区")
        parser.add_argument("--street", required=True, help="街道, for example 四平路街道")
        parser.add_argument("--staff-username", action="append", default=[], dest="staff")
        parser.add_argument("--finance-username", action="append", default=[], dest="finance")
        parser.add_argument("--full-name", action="append", default=[], dest="full_names",
                            help="username=姓名, for accounts to create")  # fmt: skip
        parser.add_argument("--staff-password", default=None, dest="password")

    def handle(self, *args, **options):
        with translation.override("zh-hans"):
            try:
                with transaction.atomic():
                    self._setup(options)
            except (Refused, ValidationError) as error:
                raise CommandError(_reason(error)) from error

    def _setup(self, options):
        district, created = district_ensure(by=None, name=options["district"])
        self._say(
            created,
            _("District %(name)s created.") % {"name": district},
            _("District %(name)s already exists.") % {"name": district},
        )
        street, created = street_ensure(by=None, district=district, name=options["street"])
        self._say(
            created,
            _("Street %(name)s created.") % {"name": street},
            _("Street %(name)s already exists.") % {"name": street},
        )
        names = dict(_pair(item) for item in options["full_names"])
        password = options["password"] or os.environ.get("SETUP_STREET_PASSWORD", "")
        for role, usernames in ((Role.STREET_STAFF, options["staff"]), (Role.FINANCE, options["finance"])):
            for username in usernames:
                user = self._account(username, names, password)
                _assignment, created = street_appoint(by=None, street=street, user=user, role=role)
                label = Role(role).label
                self._say(
                    created,
                    _("%(user)s is now %(role)s of %(street)s.") % {"user": username, "role": label, "street": street},
                    _("%(user)s is already %(role)s of %(street)s.")
                    % {"user": username, "role": label, "street": street},
                )

    def _account(self, username, names, password) -> User:
        user = User.objects.filter(username__iexact=username).first()
        if user is not None:
            return user
        if not password:
            raise CommandError(
                _(
                    "The account %(user)s does not exist: give its password with --staff-password "
                    "or the environment variable SETUP_STREET_PASSWORD."
                )
                % {"user": username}  # fmt: skip
            )
        user = user_create(username=username, full_name=names.get(username, username), password=password)
        self.stdout.write(
            _("Account %(user)s created; it sets up its second factor at its first sign-in.") % {"user": username}
        )
        return user

    def _say(self, created, made, present):
        self.stdout.write(made if created else present)


def _pair(item: str) -> tuple[str, str]:
    username, sep, name = item.partition("=")
    if not sep or not username.strip() or not name.strip():
        raise CommandError(_("--full-name takes username=姓名, for example zhang=张敏."))
    return username.strip(), name.strip()


def _reason(error) -> str:
    if isinstance(error, Refused):
        return error.reason
    return " ".join(error.messages)
