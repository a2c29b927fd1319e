import rules
from django.utils.translation import gettext_lazy as _

from common.permissions import add_perm

add_perm(
    "jobs.manage_jobs",
    rules.is_superuser,
    _("Only the system administrator sees and retries the background jobs."),
)
