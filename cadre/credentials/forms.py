"""Forms for credentials: checking one, and withdrawing one."""

from django import forms

from cadre.core.forms import GovukForm
from cadre.credentials.verification import MAX_TOKEN_LENGTH


class VerifyForm(GovukForm):
    token = forms.CharField(
        label="Paste the signed credential",
        help_text="The text of the .jwt file: three long parts joined by dots.",
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}),
    )
    file = forms.FileField(
        label="Or upload the .jwt file",
        required=False,
        error_messages={"empty": "The file is empty: upload the .jwt file you downloaded."},
        widget=forms.ClearableFileInput(attrs={"accept": ".jwt,.txt,application/jwt,text/plain"}),
    )
    email = forms.EmailField(
        label="Email address of the person it was awarded to (optional)",
        help_text="To check the credential was awarded to this address. It is not stored.",
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data.get("token", "").replace("\x00", "")
        if len(token) > MAX_TOKEN_LENGTH:
            raise forms.ValidationError("That is far longer than any credential: paste the text of the .jwt file.")
        return token

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return ""
        if upload.size > MAX_TOKEN_LENGTH:
            raise forms.ValidationError("The file is too large to be a credential: upload the .jwt file.")
        try:
            return upload.read().decode("utf-8").strip()
        except UnicodeDecodeError as error:
            raise forms.ValidationError("The file is not text: upload the .jwt file you downloaded.") from error

    def clean(self):
        cleaned = super().clean()
        token, uploaded = cleaned.get("token"), cleaned.get("file")
        if self.errors:
            return cleaned
        if token and uploaded:
            self.add_error("token", "Paste the credential or upload its file, not both.")
        elif not token and not uploaded:
            self.add_error("token", "Paste the signed credential, or upload its .jwt file.")
        cleaned["credential"] = token or uploaded
        return cleaned


class RevokeForm(GovukForm):
    reason = forms.CharField(
        label="Why is it being withdrawn?",
        help_text="Anyone who checks the credential will see this reason.",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why it is being withdrawn."},
    )
