from django.db import migrations

from directory import reference_data


def load(apps, schema_editor):
    reference_data.load_all(
        Area=apps.get_model("directory", "Area"),
        Category=apps.get_model("directory", "Category"),
        Audience=apps.get_model("directory", "Audience"),
        Language=apps.get_model("directory", "Language"),
    )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
