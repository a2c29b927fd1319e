"""What the public board may say about a request: category, place and a scrubbed summary.

个人信息保护法: no names, no phone numbers, no room numbers. The board never renders the
representative, the officer or the residents' own text; the one-line summary the
representative wrote for it is scrubbed once more here in case it carries any of them.
"""

import re

# A phone or ID number: seven or more digits, possibly broken by spaces or dashes.
LONG_NUMBER = re.compile(r"\d(?:[\s\-－]*\d){6,}")
# A room or flat: 1201室, 12-301, 3号502, 502户, 8楼1号 ...
ROOM = re.compile(r"\d+\s*[-－]\s*\d+|\d+\s*号\s*\d+|\d+\s*(?:室|户|房间|房)|\d+\s*楼\s*\d+\s*号?")
MASK = "**"


def anonymise(text: str, names=()) -> str:
    """The text with known names, phone numbers and room numbers masked."""
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        text = text.replace(name, MASK)
    text = LONG_NUMBER.sub(MASK, text)
    return ROOM.sub(MASK, text)
