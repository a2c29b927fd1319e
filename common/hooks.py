"""How apps contribute to each other's pages without importing upwards (docs/architecture.md).

An app offers a hook by defining a method of that name on its ``AppConfig``; the app that
owns the page calls ``call_hooks(name, ...)`` and gets the answers in ``INSTALLED_APPS``
order. One loop, here, instead of one per page.
"""

from django.apps import apps


def hooks(name: str) -> list:
    """Every installed app's implementation of hook ``name``, in ``INSTALLED_APPS`` order."""
    found = []
    for config in apps.get_app_configs():
        hook = getattr(config, name, None)
        if callable(hook):
            found.append(hook)
    return found


def call_hooks(name: str, *args, **kwargs) -> list:
    """Call every app's hook ``name``; a hook answering ``None`` contributes nothing."""
    return [answer for hook in hooks(name) if (answer := hook(*args, **kwargs)) is not None]


def call_hooks_flat(name: str, *args, **kwargs) -> list:
    """Like ``call_hooks`` for hooks that answer lists (page sections): one flat list."""
    return [item for answer in call_hooks(name, *args, **kwargs) for item in answer]
