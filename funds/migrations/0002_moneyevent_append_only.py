"""The money log is append-only in the database itself: UPDATE and DELETE raise.

TRUNCATE is left alone on purpose: it needs table ownership (not granted to the app
role in production) and the test runner uses it to empty the database between tests.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION funds_moneyevent_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'funds_moneyevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER funds_moneyevent_append_only
    BEFORE UPDATE OR DELETE ON funds_moneyevent
    FOR EACH ROW EXECUTE FUNCTION funds_moneyevent_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS funds_moneyevent_append_only ON funds_moneyevent;
DROP FUNCTION IF EXISTS funds_moneyevent_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
