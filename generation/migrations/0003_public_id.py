"""Every generated ad gets a stable public id (spec P1-5): filled for existing rows one by one,
then made unique and required."""

from django.db import migrations, models

import generation.models


def fill_public_ids(apps, schema_editor):
    GeneratedAd = apps.get_model("generation", "GeneratedAd")
    for ad in GeneratedAd.objects.filter(public_id__isnull=True).only("pk").iterator():
        GeneratedAd.objects.filter(pk=ad.pk).update(public_id=generation.models.new_public_id())


class Migration(migrations.Migration):
    dependencies = [("generation", "0002_delete_providercall")]

    operations = [
        migrations.AddField(model_name="generatedad", name="public_id", field=models.UUIDField(null=True, editable=False)),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(model_name="generatedad", name="public_id",
                              field=models.UUIDField(default=generation.models.new_public_id, editable=False,
                                                     unique=True)),
    ]
