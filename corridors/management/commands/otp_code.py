from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from corridors.demo.accounts import demo_otp_key


class Command(BaseCommand):
    help = (
        "Print the current second-factor code of a demo account (staff, finance, admin), so the demo "
        "can be tried without an authenticator app. Refused for any other account, and on a real site."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if not (settings.DEBUG or settings.QUICK_START):
            raise CommandError(
                "Refused: this is not the quick start (DATABASE_URL is set) and DEBUG is off. "
                "On a real site every code comes from its owner's authenticator app."
            )
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True, name="demo").first()
        if device is None or device.key != demo_otp_key(username):
            raise CommandError(f"Refused: {username!r} is not a demo account with the demo's published secret.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
        remaining = device.step - int(totp.time - device.t0) % device.step
        self.stderr.write(f"({username}: valid for about {remaining} more seconds)")
