"""Role × URL matrix: who gets the page, who is refused (403), who finds nothing (404).

Out-of-scope objects are not found (404) so a guessed id reveals nothing; pages a role
may not use at all are refused (403); anonymous visitors are sent to sign in (302).
"""

import pytest
from django.urls import reverse

PERSONAS = ["anon", "alice", "bob", "fay", "carl", "cindy", "leo", "lena", "rita", "otto", "nobody"]
STAFF = {"anon": 302, "alice": 200, "bob": 200}  # street staff of either street see their own street's list


def urls(w):
    # name -> (url, {persona: expected status}); personas not listed expect `default`.
    return {
        "home": (reverse("home"), {"anon": 302}, 200),
        "places list": (reverse("places:list"), {"anon": 302}, 200),
        "our neighbourhood n1": (
            reverse("places:neighbourhood", args=[w.n1.pk]),
            {"anon": 302, "alice": 200, "carl": 200},
            404,
        ),
        "group g1": (
            reverse("places:group", args=[w.g1.pk]),
            {"anon": 302, "alice": 200, "carl": 200, "leo": 200},
            404,
        ),
        "group g2": (
            reverse("places:group", args=[w.g2.pk]),
            {"anon": 302, "alice": 200, "cindy": 200, "lena": 200},
            404,
        ),
        "people list": (reverse("people:list"), {"anon": 302, "alice": 200, "bob": 200}, 403),
        "public home": (reverse("public:home"), {}, 200),
        # Lists of the later apps: each shows only the user's own scope, or refuses.
        "applications list": (reverse("applications:list"), STAFF, 403),
        "applications queue": (reverse("applications:queue"), {"anon": 302, "carl": 200, "cindy": 200}, 403),
        "inbox": (reverse("inbox:list"), {"anon": 302}, 200),
        "galleries (staff side)": (
            reverse("gallery:index"),
            {**STAFF, "carl": 200, "cindy": 200, "leo": 200, "lena": 200},
            403,
        ),
        "programme years": (reverse("programme:home"), STAFF, 403),
        "groups list": (reverse("places:groups"), STAFF, 403),
        "departments": (reverse("places:departments"), STAFF, 403),
        "accounts export": (reverse("people:export"), STAFF, 403),
        "inspections": (reverse("funds:inspections"), STAFF, 403),
        "payouts": (reverse("funds:payouts"), {**STAFF, "fay": 200}, 403),
        "budget": (reverse("funds:budget"), {**STAFF, "fay": 200}, 403),
        "awards": (reverse("funds:awards"), {"anon": 302, "rita": 403, "otto": 403, "nobody": 403}, 200),
        "fund campaigns": (reverse("funds:list"), {"anon": 302, "fay": 403, "otto": 403, "nobody": 403}, 200),
        "consultations overview": (reverse("consultations:overview"), STAFF, 403),
        "my requests": (reverse("consultations:mine"), {"anon": 302, "rita": 200}, 403),
        "public corridor g1": (reverse("public:corridor", args=[w.g1.pk]), {}, 200),
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_role_url_matrix(world, client, persona):
    if persona != "anon":
        client.force_login(getattr(world, persona))
    failures = []
    # ("nobody" has an account but no role: every page that needs one refuses.)
    for name, (url, expected, default) in urls(world).items():
        want = expected.get(persona, default)
        got = client.get(url).status_code
        if got != want:
            failures.append(f"{name}: {persona} got {got}, expected {want}")
    assert not failures, "\n".join(failures)


def test_other_streets_staff_sees_none_of_our_neighbourhoods(world, as_user):
    response = as_user(world.bob).get(reverse("places:list"))
    assert world.n1.name not in response.content.decode()
    assert world.n_other.name in response.content.decode()
