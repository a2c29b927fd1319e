from django.contrib import admin

from funds.models import Campaign, MoneyEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Money records change only through the services (their rules and the money log);
    the admin may look, never write."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["building", "purpose", "works_cost", "rule_set", "created_at"]
    list_select_related = ["building__compound"]


@admin.register(MoneyEvent)
class MoneyEventAdmin(ReadOnlyAdmin):
    """The database refuses changes anyway; this keeps the admin from offering them."""

    list_display = ["created_at", "kind", "amount", "subject_type", "subject_id", "actor"]
    list_filter = ["kind"]
    list_select_related = ["actor"]
