"""The cache's table (settings.CACHES: DatabaseCache unless CACHE_URL names Redis).

`createcachetable` is not part of `migrate`; running it here means a fresh clone (`make run`),
a production server's `manage.py migrate` and the test database all have the table. It creates
only what is missing, so running it again (the Makefile does, after switching CACHE_URL back to
the database) is harmless.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False)]
