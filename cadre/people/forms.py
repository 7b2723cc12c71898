from django import forms

from cadre.core.models import Organisation
from cadre.people.hr_import import Mode


class PersonImportForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label="Organisation", empty_label=None)
    file = forms.FileField(
        label="HR export",
        help_text="A CSV file (UTF-8 or Windows-1252, as Excel saves it) or an XLSX workbook with one sheet. "
        "The first row names the columns.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
        error_messages={"required": "Choose the file to import."},
    )
    mode = forms.ChoiceField(
        label="What about people missing from the file?",
        choices=[
            (Mode.PARTIAL, "Leave them as they are (partial import)"),
            (Mode.FULL, "Mark them as left: the file lists everyone (full import)"),
        ],
        initial=Mode.PARTIAL,
        widget=forms.RadioSelect,
    )
    mapping = forms.FileField(
        label="Column mapping (optional)",
        required=False,
        help_text="Only if your HR system's column headings are not ones Cadre recognises: a small file, "
        "from whoever looks after Cadre, that says which of your columns is which.",
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,.json"}),
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations is not None and len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = organisations[0].pk


class ConfirmEraseForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand this cannot be undone",
        error_messages={"required": "Tick the box to confirm that erasing this person cannot be undone."},
    )
