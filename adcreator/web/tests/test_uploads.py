from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from adcreator.web.uploads import check_image_bytes
from tests.support.images import bomb_png, png


def test_a_normal_png_passes():
    checked = check_image_bytes(png())
    assert (checked.format, checked.width, checked.height) == ("PNG", 200, 100)


@pytest.mark.parametrize("data,code", [
    (b"", "empty"),
    (b"GIF89a not really", "unreadable"),
    (png()[:60], "unreadable"),
    (bomb_png(), "too_many_pixels"),
    (png(40, 40), "too_small"),
])
def test_hostile_or_broken_files_are_refused_with_a_code(data, code):
    with pytest.raises(ValidationError) as excinfo:
        check_image_bytes(data)
    assert excinfo.value.code == code


def test_size_limit_is_checked_before_decoding(settings):
    settings.ADCREATOR_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(ValidationError) as excinfo:
        check_image_bytes(png(400, 400) + b"\x00" * 2000)
    assert excinfo.value.code == "too_large"


def test_wrong_format_is_refused():
    out = BytesIO()
    Image.new("RGB", (100, 100)).save(out, format="BMP")
    with pytest.raises(ValidationError) as excinfo:
        check_image_bytes(out.getvalue())
    assert excinfo.value.code == "format"
