"""Paid money is immutable in the database itself, like the money log.

- A payout once paid: its money fields (amount, kind, award, who paid, when, reference,
  state) cannot be updated, and the row cannot be deleted.
- Owners' payments are never updated or deleted: a mistake is a new, negative payment.
- The corridor ledger's entries likewise: a mistake is a reversing entry.

Whatever the path (the app, the admin, hand-typed SQL): only the table's owner could drop
the trigger, and the site does not connect as the owner (config/db_roles.py).
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION funds_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER funds_payment_append_only
    BEFORE UPDATE OR DELETE ON funds_payment
    FOR EACH ROW EXECUTE FUNCTION funds_refuse_change();

CREATE TRIGGER funds_ledgerentry_append_only
    BEFORE UPDATE OR DELETE ON funds_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION funds_refuse_change();

CREATE FUNCTION funds_payout_paid_immutable() RETURNS trigger AS $$
BEGIN
    IF OLD.state = 'paid' THEN
        IF TG_OP = 'DELETE' OR NEW.amount IS DISTINCT FROM OLD.amount OR NEW.kind IS DISTINCT FROM OLD.kind
           OR NEW.award_id IS DISTINCT FROM OLD.award_id OR NEW.state IS DISTINCT FROM OLD.state
           OR NEW.paid_on IS DISTINCT FROM OLD.paid_on OR NEW.paid_reference IS DISTINCT FROM OLD.paid_reference
           OR NEW.paid_by_id IS DISTINCT FROM OLD.paid_by_id OR NEW.approved_by_id IS DISTINCT FROM OLD.approved_by_id
           OR NEW.proposed_by_id IS DISTINCT FROM OLD.proposed_by_id THEN
            RAISE EXCEPTION 'payout % is paid: % of its money refused', OLD.id, TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER funds_payout_paid_immutable
    BEFORE UPDATE OR DELETE ON funds_payout
    FOR EACH ROW EXECUTE FUNCTION funds_payout_paid_immutable();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS funds_payout_paid_immutable ON funds_payout;
DROP FUNCTION IF EXISTS funds_payout_paid_immutable();
DROP TRIGGER IF EXISTS funds_ledgerentry_append_only ON funds_ledgerentry;
DROP TRIGGER IF EXISTS funds_payment_append_only ON funds_payment;
DROP FUNCTION IF EXISTS funds_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("funds", "0009_consent_change_reason")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
