"""Forms of the genome's pages: the Meta connection (token write-only) and the mapping CSV."""

from __future__ import annotations

import csv
import io

from django import forms

MAX_MAPPING_CSV_BYTES = 1_000_000
MAX_MAPPING_ROWS = 5000


class MetaConnectionForm(forms.Form):
    ad_account_id = forms.CharField(max_length=40, label="Ad account id",
                                    widget=forms.TextInput(attrs={"placeholder": "act_1234567890", "autocomplete": "off"}))
    # render_value=False: the stored token never goes back to the browser, not even masked.
    access_token = forms.CharField(required=False, max_length=2000, label="Access token",
                                   widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
                                   help_text="Write-only: stored encrypted, never shown again. Leave empty to keep "
                                             "the current token when you only change the account id.")


class MappingUploadForm(forms.Form):
    csv_file = forms.FileField(label="Mappings (CSV)", help_text="Two columns: generated_ad (our ad's id or its "
                               "8-character short id) and meta_ad_id.")

    def clean_csv_file(self):
        upload = self.cleaned_data["csv_file"]
        if upload.size > MAX_MAPPING_CSV_BYTES:
            raise forms.ValidationError(f"The file is over {MAX_MAPPING_CSV_BYTES // 1000} kB; split it.")
        raw = upload.read(MAX_MAPPING_CSV_BYTES + 1)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file is not UTF-8 text (save it as CSV UTF-8).") from None
        if "\x00" in text:
            raise forms.ValidationError("The file is not a CSV (it contains NUL bytes).")
        reader = csv.DictReader(io.StringIO(text))
        columns = {name.strip().lower() for name in (reader.fieldnames or [])}
        if not {"generated_ad", "meta_ad_id"} <= columns:
            raise forms.ValidationError("The first line must name the columns generated_ad and meta_ad_id.")
        rows = []
        for line, row in enumerate(reader, start=2):
            values = {key.strip().lower(): (value or "").strip() for key, value in row.items() if key}
            if not any(values.values()):
                continue
            rows.append((line, values.get("generated_ad", ""), values.get("meta_ad_id", "")))
            if len(rows) > MAX_MAPPING_ROWS:
                raise forms.ValidationError(f"At most {MAX_MAPPING_ROWS} rows per file.")
        if not rows:
            raise forms.ValidationError("The file has no rows under its header.")
        return rows
