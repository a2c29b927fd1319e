from django.db import migrations

from common.search import CREATE_FUNCTION, DROP_FUNCTION


class Migration(migrations.Migration):
    dependencies = [("common", "0001_recheck_public_text")]

    operations = [migrations.RunSQL(CREATE_FUNCTION, DROP_FUNCTION)]
