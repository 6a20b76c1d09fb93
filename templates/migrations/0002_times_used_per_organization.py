"""times_used per organization: the global counter goes; usage rows carry their organization.

The organization of each existing usage row is its product's (backfilled here), so every
organization's count starts from its own history.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill_organization(apps, schema_editor):
    Usage = apps.get_model("templates", "ProductTemplateUsage")
    Product = apps.get_model("catalog", "Product")
    organization = Product.objects.filter(pk=OuterRef("product_id")).values("brand__organization_id")[:1]
    Usage.objects.using(schema_editor.connection.alias).update(organization_id=Subquery(organization))


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("templates", "0001_initial"),
    ]

    operations = [
        migrations.RemoveField(model_name="scrapedtemplate", name="times_used"),
        migrations.AddField(
            model_name="producttemplateusage",
            name="organization",
            field=models.ForeignKey(null=True, editable=False, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="template_usage", to="catalog.organization"),
        ),
        migrations.RunPython(backfill_organization, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="producttemplateusage",
            name="organization",
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="template_usage", to="catalog.organization"),
        ),
        migrations.AddIndex(
            model_name="producttemplateusage",
            index=models.Index(fields=["organization", "template"], name="usage_org_template_idx"),
        ),
    ]
