"""Money as people read it: ¥1,234.50 on screen, 壹仟贰佰叁拾肆元伍角 on a voucher."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def to_yuan(value) -> Decimal | None:
    """A Decimal with two places, or None for something that is not an amount."""
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError):
        return None


def yuan(value) -> str:
    """¥1,234.50 (two places, grouped); an empty string for a missing or unreadable amount."""
    amount = to_yuan(value)
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ["", "拾", "佰", "仟"]
_BIG_UNITS = ["", "万", "亿", "万亿"]


def _four_digits(n: int) -> str:
    """0 < n < 10000 in capital numerals, with inner zeros read as 零 once."""
    out, zero = "", False
    for position in range(3, -1, -1):
        digit = n // 10**position % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[digit] + _SMALL_UNITS[position]
    return out


def yuan_in_words(value) -> str:
    """The amount in capital Chinese numerals (大写金额), as vouchers and receipts require.

    1234.50 → 壹仟贰佰叁拾肆元伍角整; 2000 → 贰仟元整; 0.05 → 伍分; 100.07 → 壹佰元零柒分.
    """
    amount = to_yuan(value)
    if amount is None:
        return ""
    if amount < 0:
        return "负" + yuan_in_words(-amount)
    fen_total = int(amount * 100)
    whole, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    if whole == 0 and jiao == 0 and fen == 0:
        return "零元整"
    words = ""
    if whole:
        groups, rest = [], whole
        while rest:
            groups.append(rest % 10000)
            rest //= 10000
        pending_zero = False
        for index in range(len(groups) - 1, -1, -1):
            group = groups[index]
            if group == 0:
                pending_zero = bool(words)
                continue
            if words and (pending_zero or group < 1000):
                words += "零"
            words += _four_digits(group) + _BIG_UNITS[index]
            pending_zero = False
        words += "元"
    if jiao == 0 and fen == 0:
        return words + "整"
    if jiao:
        words += _DIGITS[jiao] + "角"
    elif whole:
        words += "零"
    if fen:
        words += _DIGITS[fen] + "分"
    else:
        words += "整"
    return words
