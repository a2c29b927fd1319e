from django.contrib import admin

from funds.models import Campaign, MoneyEvent


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["building", "purpose", "works_cost", "rule_set", "created_at"]
    list_select_related = ["building__compound"]
    raw_id_fields = ["building", "created_by"]


@admin.register(MoneyEvent)
class MoneyEventAdmin(admin.ModelAdmin):
    """Read only: the database refuses changes anyway; this keeps the admin from offering them."""

    list_display = ["created_at", "kind", "amount", "subject_type", "subject_id", "actor"]
    list_filter = ["kind"]
    list_select_related = ["actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
