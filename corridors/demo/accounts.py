"""The demo world's accounts: one per role, all with the documented password (README)."""

from corridors.models import Role

DEMO_PASSWORD = "Corridor-2026"

# username, full name, phone, role, scope kind, scope name(s)
ACCOUNTS = [
    ("staff", "王芳", "13800001111", Role.STREET_STAFF, None, None),
    ("finance", "李强", "13800002222", Role.FINANCE, None, None),
    ("committee", "许敏", "13800003333", Role.COMMITTEE, "neighbourhood", "和平花园居民区"),
    ("committee363", "周丽", "13800004444", Role.COMMITTEE, "neighbourhood", "抚顺路363弄居民区"),
    ("leader", "陈桂英", "13800005555", Role.LEADER, "group", ("抚顺路363弄", "5号", "1单元")),
    ("leaderd", "张怡", "13800006666", Role.LEADER, "group", ("和平花园", "D座", "全楼")),
    ("rep", "张毅", "13800007777", Role.REPRESENTATIVE, "neighbourhood", "和平花园居民区"),
    ("officer", "赵刚", "13800008888", Role.OFFICER, "department", "房屋管理办事处"),
]

# The demo's privileged accounts sign in with a second factor like real ones, enrolled with a
# secret anyone can derive (so `manage.py otp_code staff` can print the code): never a real
# site's secret, and the command refuses any other account.
DEMO_SECOND_FACTOR = ("staff", "finance", "admin")


def demo_otp_key(username: str) -> str:
    """The demo account's published TOTP secret (hex, as django-otp stores it)."""
    import hashlib

    # 20 bytes, the size django-otp gives a key; not a password hash, a published demo secret.
    return hashlib.sha256(f"corridors-demo-second-factor:{username}".encode()).hexdigest()[:40]


def enrol_demo_second_factors() -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from corridors.models import User

    for user in User.objects.filter(username__in=DEMO_SECOND_FACTOR):
        TOTPDevice.objects.get_or_create(
            user=user, name="demo", defaults={"key": demo_otp_key(user.username), "confirmed": True}
        )
