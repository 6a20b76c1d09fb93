import django.core.validators
from django.db import migrations, models


def measure_stored_photos(apps, schema_editor):
    """Rows stored under the old default held 0.5 whatever the photo looked like: measure each
    such photo. One whose file cannot be read cannot carry an ad either: 0, said in the log. Rows
    with any other value were measured or set by someone when stored, and stay as they are."""
    import logging
    from io import BytesIO

    from PIL import Image

    from adcreator.catalog.photo_quality import measure_photo_quality

    ProductImage = apps.get_model("catalog", "ProductImage")
    for photo in ProductImage.objects.filter(quality=0.5).iterator():
        try:
            with photo.image.open("rb") as handle, Image.open(BytesIO(handle.read())) as opened:
                opened.load()
                quality = measure_photo_quality(opened).score
        except (OSError, ValueError, SyntaxError):
            logging.getLogger(__name__).warning("product photo %s could not be read; its quality is now 0", photo.pk)
            quality = 0.0
        ProductImage.objects.filter(pk=photo.pk).update(quality=quality)


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0004_product_industry"),
    ]

    operations = [
        migrations.AlterField(
            model_name="productimage",
            name="quality",
            field=models.FloatField(validators=[django.core.validators.MinValueValidator(0.0),
                                                django.core.validators.MaxValueValidator(1.0)]),
        ),
        migrations.RunPython(measure_stored_photos, migrations.RunPython.noop),
    ]
