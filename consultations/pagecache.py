"""The public board 你反映·我来办 in the page cache (see ``corridors.pagecache``).

The board depends on ``("board", 0)``, retired whenever a request, a category or a
department is saved or deleted (a request entering or leaving the board, its public
summary, the names the board groups by), and on the place tree.
"""

from common.pagecache import bump
from corridors.pagecache import PLACES, on_change_bump

BOARD = ("board", 0)


def board_page(request):
    return [PLACES, BOARD]


def bump_board() -> None:
    bump(*BOARD)


def connect() -> None:
    """Called from ``ConsultationsConfig.ready``."""
    from consultations import models as m
    from corridors.models import Department

    for model in (m.ConsultationRequest, m.Category, Department):
        on_change_bump(model, lambda instance: bump_board())
