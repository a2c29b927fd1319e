"""One scale for everyone (issue 14): signed-in pages on a 390 px phone, at normal size and
with 大字号, for each role of the demo world: text at least 18 px, targets at least 44 px,
contrast (axe-core) and a solid focus outline, no sideways scroll, no clipped status."""

import io
import os
import re
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from corridors.demo import DEMO_PASSWORD
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOTS_DIR", "")

# Elements whose own text is shown: every one at least this size (px).
SMALL_TEXT = """(minimum) => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (!el || el.closest('.visually-hidden, .visually-hidden-focusable, script, style, noscript, option')) continue;
    if (el.offsetParent === null && getComputedStyle(el).position !== 'fixed') continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < minimum) out.push(`${size}px: ${el.outerHTML.slice(0, 90)}`);
  }
  return out;
}"""

# Buttons, fields and links that stand on their own (not words inside a sentence).
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'nav a, nav button, header a, header button, main button, main a, main select, main textarea,'
    + ' main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), .form-check')]
  .filter(el => el.offsetParent !== null)
  .filter(el => !el.matches('p a, .form-text a, label a, small a, .alert a, figcaption a, blockquote a,'
                            + ' dd a:not(:only-child)'))
  .filter(el => { const r = el.getBoundingClientRect(); return r.height < 44 || r.width < 44; })
  .map(el => { const r = el.getBoundingClientRect();
               return `${Math.round(r.width)}x${Math.round(r.height)} ${el.outerHTML.slice(0, 90)}`; })"""

CLIPPED_STATUS = """() => [...document.querySelectorAll('.badge')]
  .filter(el => el.offsetParent !== null)
  .filter(el => { const r = el.getBoundingClientRect();
                  return el.scrollWidth > el.clientWidth + 1 || r.right > window.innerWidth + 1 || r.left < -1; })
  .map(el => el.outerHTML.slice(0, 90))"""

FOCUS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {tag: el.tagName, style: style.outlineStyle, width: parseFloat(style.outlineWidth), color: style.outlineColor};
}"""


def luminance(rgb):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a, b):
    la, lb = sorted([luminance(a), luminance(b)], reverse=True)
    return (la + 0.05) / (lb + 0.05)


def rgb(css):
    return tuple(int(v) for v in re.findall(r"\d+", css)[:3])


def contrast_violations(page):
    results = Axe().run(page, options={"runOnly": {"type": "rule", "values": ["color-contrast"]}})
    return [f"{v['id']}: {[n['target'] for n in v['nodes']][:4]}" for v in results.response["violations"]]


def representative_pages():
    """Lists and work pages of the demo world every role may reach part of (403/404 skipped)."""
    from consultations.models import ConsultationRequest as Request
    from corridors.models import Activity, ActivitySignup, Application
    from funds.models import Campaign, Unit

    urls = [
        "/inbox/",
        "/consultations/",
        "/consultations/mine/",
        "/consultations/follow-ups/",
        "/funds/",
        "/funds/payouts/",
        "/funds/inspections/",
        "/funds/awards/",
        "/applications/",
        "/applications/queue/",
    ]
    for campaign in Campaign.objects.order_by("pk")[:2]:
        urls += [f"/funds/{campaign.pk}/units/", f"/funds/{campaign.pk}/collection/", f"/funds/{campaign.pk}/"]
    if unit := Unit.objects.order_by("pk").first():
        urls.append(f"/funds/units/{unit.pk}/")
    for application in Application.objects.order_by("pk")[:3]:
        urls += [f"/applications/{application.pk}/", f"/applications/{application.pk}/edit/"]
    if request := Request.objects.order_by("pk").first():
        urls.append(f"/consultations/requests/{request.pk}/")
    for campaign in Campaign.objects.order_by("pk")[:1]:
        urls += [f"/funds/{campaign.pk}/door/", f"/funds/{campaign.pk}/edit/"]
    # The organiser's sign-up list and the page that reveals one number.
    if signup := ActivitySignup.objects.order_by("pk").first():
        urls += [
            f"/manage/gallery/activities/{signup.activity_id}/signups/",
            f"/manage/gallery/activities/{signup.activity_id}/signups/{signup.pk}/reveal/",
        ]
    if activity := Activity.objects.order_by("pk").first():
        urls.append(f"/manage/gallery/activities/{activity.pk}/")
    return urls


def pages_for(page, live_server, extra):
    """The home page, every page its menu links to, the first row's page of each list, and
    the representative lists this role may open."""
    page.goto(f"{live_server.url}/home/")
    urls = ["/home/", *extra]
    for href in page.eval_on_selector_all(
        "nav a[href^='/'], main table a[href^='/']", "els => els.map(e => e.getAttribute('href'))"
    ):
        path = urlparse(href).path
        if path.startswith(("/accounts/", "/inbox/open", "/files/", "/media/")) or path.endswith((".xlsx", ".ics")):
            continue
        if path.startswith("/public") or path == "/":
            continue
        if path not in urls:
            urls.append(path)
    return urls[:14] + [u for u in representative_pages() if u not in urls[:14]]


def check_page(page, url, minimum, problems, shot_name):
    response = page.goto(url)
    if response.status in (403, 404):
        return
    if response.status >= 400:
        problems.append(f"{url} answered {response.status}")
        return
    page.wait_for_load_state("networkidle")
    where = urlparse(url).path
    for text in page.evaluate(SMALL_TEXT, minimum)[:3]:
        problems.append(f"{where} small text {text}")
    for target in page.evaluate(SMALL_TARGETS)[:3]:
        problems.append(f"{where} small target {target}")
    if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
        problems.append(f"{where} scrolls sideways ({page.evaluate('document.documentElement.scrollWidth')}px)")
    for badge in page.evaluate(CLIPPED_STATUS)[:3]:
        problems.append(f"{where} clipped status {badge}")
    for violation in contrast_violations(page):
        problems.append(f"{where} {violation}")
    if SHOTS:
        slug = re.sub(r"[^a-z0-9]+", "-", where).strip("-") or "root"
        page.screenshot(path=os.path.join(SHOTS, f"{shot_name}-{slug}.png"), full_page=True, timeout=60_000)


ROLES = [
    ("leader", []),
    ("committee", []),
    ("staff", []),
    ("finance", []),
    ("officer", []),
    ("rep", []),
    # A campaign volunteer: an account in the working group, no role of its own.
    ("volunteer", []),
]


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", "--force", stdout=io.StringIO())
    add_volunteer_and_sign_ups()


def add_volunteer_and_sign_ups():
    """The demo world plus what it lacks for these pages: a volunteer doing the door-to-door
    visits, and residents signed up for the leader's next activity."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from corridors.models import Activity, User
    from corridors.services.signups import signup_create
    from funds.models import Campaign, WorkingGroupMember
    from funds.services.campaigns import working_group_member_add

    campaign = Campaign.objects.order_by("pk").first()
    volunteer = User.objects.create(username="volunteer", first_name="志愿者", password=make_password(DEMO_PASSWORD))
    staff = User.objects.get(username="staff")
    working_group_member_add(
        campaign=campaign, actor=staff, name="刘志愿", side=WorkingGroupMember.Side.OWNERS, user=volunteer
    )
    upcoming = Activity.objects.filter(starts_at__gt=timezone.now(), group__role_assignments__user__username="leader")
    activity = upcoming.order_by("starts_at").first() or Activity.objects.filter(starts_at__gt=timezone.now()).first()
    for n, name in enumerate(["王秀英", "李建国", "张桂兰"]):
        signup_create(activity=activity, name=name, phone=f"1391234500{n}", consent=True)


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
def test_signed_in_pages_on_a_phone_meet_the_one_scale(demo, live_server, phone, large):
    minimum = 22 if large else 18
    problems = []
    for username, extra in ROLES:
        phone.context.clear_cookies()
        browser_login(phone, live_server, username, DEMO_PASSWORD)
        if large:
            # The switch sits in the header, outside the folded menu, on every signed-in page.
            phone.get_by_role("button", name="大字号").click()
            phone.wait_for_load_state()
            assert phone.evaluate("document.documentElement.classList.contains('large-text')")
        urls = pages_for(phone, live_server, extra)
        for n, path in enumerate(urls):
            shot = f"{'large' if large else 'normal'}-{username}-{n}"
            check_page(phone, f"{live_server.url}{path}", minimum, problems, shot)
    assert not problems, "\n".join(problems)


def test_large_text_grows_the_whole_interface(demo, live_server, phone):
    browser_login(phone, live_server, "leader", DEMO_PASSWORD)
    measure = """() => ({
        body: parseFloat(getComputedStyle(document.body).fontSize),
        h1: parseFloat(getComputedStyle(document.querySelector('h1')).fontSize),
        button: document.querySelector('main .btn, nav .btn').getBoundingClientRect().height,
        toggle: document.querySelector('.text-size-toggle button').getBoundingClientRect().height,
    })"""
    before = phone.evaluate(measure)
    toggle = phone.get_by_role("button", name="大字号")
    assert toggle.is_visible(), "大字号 is in the header, not inside the folded menu"
    toggle.click()
    phone.wait_for_load_state()
    after = phone.evaluate(measure)
    assert after["body"] > before["body"] >= 18
    assert after["h1"] > before["h1"] and after["h1"] > after["body"]
    assert after["button"] > before["button"] >= 44
    # It persists: another page, and the switch now offers the way back.
    phone.goto(f"{live_server.url}/inbox/")
    assert phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") == after["body"]
    assert phone.get_by_role("button", name="标准字号").is_visible()


def test_focus_outline_is_solid_and_visible(demo, live_server, page):
    browser_login(page, live_server, "leader", DEMO_PASSWORD)
    # On a desktop the navbar is unfolded: its links too read at 4.5:1 or better.
    assert not contrast_violations(page)
    seen = 0
    for _ in range(6):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        if focus["tag"] in ("A", "BUTTON", "INPUT", "SELECT"):
            assert focus["style"] == "solid", focus
            assert focus["width"] >= 2, focus
            # Against the white page and the light navbar, at least 3:1.
            assert contrast(rgb(focus["color"]), (255, 255, 255)) >= 3, focus
            assert contrast(rgb(focus["color"]), (248, 249, 250)) >= 3, focus
            seen += 1
    assert seen >= 3
