# Events derive from directory.models.posted.PostedItem, as news items and volunteer needs do:
# their author and withdrawal fields already had the base's names and columns, so only the
# labels change (one wording, without gender, for the three). No column changes, no data moves.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0027_agenda"),
    ]

    operations = [
        migrations.AlterField(
            model_name="event",
            name="archived",
            field=models.BooleanField(default=False, verbose_name="retrait"),
        ),
        migrations.AlterField(
            model_name="event",
            name="archived_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="date du retrait"),
        ),
        migrations.AlterField(
            model_name="newsitem",
            name="archived",
            field=models.BooleanField(default=False, verbose_name="retrait"),
        ),
        migrations.AlterField(
            model_name="newsitem",
            name="archived_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="date du retrait"),
        ),
        migrations.AlterField(
            model_name="volunteerneed",
            name="archived",
            field=models.BooleanField(default=False, verbose_name="retrait"),
        ),
        migrations.AlterField(
            model_name="volunteerneed",
            name="archived_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="date du retrait"),
        ),
    ]
