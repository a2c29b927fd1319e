"""Personal data shown on screen in masked form (个人信息保护法: collect and show the minimum)."""


def mask_name(name: str) -> str:
    """张三丰 → 张*: the surname only, and not even the length of the name."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*"


def mask_phone(phone: str) -> str:
    """13812341234 → 138****1234."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"
