"""The iCalendar text (RFC 5545) of the activity feeds, written with plain string operations.

``icalendar`` builds an object per property and per event and then serialises them; a
street's feed has hundreds of events, and that was most of its time. The few properties a
feed has are written here directly, escaped and folded as ``icalendar`` does (the feeds'
tests parse them back with ``icalendar`` and compare the two writers' output).
"""

import datetime

CRLF = "\r\n"
# A content line's octets at most before it is folded (RFC 5545, 3.1).
FOLD_AT = 75


def escape(text: str) -> str:
    """A TEXT value (RFC 5545, 3.3.11): backslash, semicolon, comma and line breaks escaped."""
    return (
        text.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def fold(line: str) -> str:
    """``line`` folded into content lines of fewer than 75 octets, never inside a character
    or (as ``icalendar``, for clients that mind) between a backslash and what it escapes."""
    if len(line) < FOLD_AT and line.isascii():
        return line
    parts: list[str] = []
    current: list[str] = []
    count = 0
    for char in line:
        size = len(char.encode())
        if current and count + size >= FOLD_AT:
            if len(current) > 1 and current[-1] in "\\^":
                carried = current.pop()
                parts.append("".join(current))
                current, count = [carried], len(carried.encode())
            else:
                parts.append("".join(current))
                current, count = [], 0
        current.append(char)
        count += size
    if current:
        parts.append("".join(current))
    return (CRLF + " ").join(parts)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def feed_head(name: str) -> str:
    return CRLF.join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Corridor micro-autonomy//Warm corridors//ZH",
            "CALSCALE:GREGORIAN",
            fold("X-WR-CALNAME:" + escape(name)),
            "X-WR-TIMEZONE:Asia/Shanghai",
            "",
        ]
    )


FEED_END = "END:VCALENDAR" + CRLF


def event_text(
    *,
    uid: str,
    stamp: datetime.datetime,
    starts: datetime.datetime,
    ends: datetime.datetime,
    summary: str,
    location: str,
    description: str,
    url: str,
) -> str:
    """One VEVENT, its properties in the order ``icalendar`` writes them."""
    lines = [
        "BEGIN:VEVENT",
        fold("SUMMARY:" + escape(summary)),
        "DTSTART:" + _utc(starts),
        "DTEND:" + _utc(ends),
        "DTSTAMP:" + _utc(stamp),
        fold("UID:" + escape(uid)),
    ]
    if description:
        lines.append(fold("DESCRIPTION:" + escape(description)))
    lines += [fold("LOCATION:" + escape(location)), fold("URL:" + url), "END:VEVENT", ""]
    return CRLF.join(lines)
