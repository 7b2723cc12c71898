from django import forms


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(
        label="Your full name", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password = forms.CharField(
        label="Choose a password",
        help_text="At least 10 characters. A few unrelated words make a strong password.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label="Type the password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("password")
            and cleaned.get("password_again")
            and cleaned["password"] != cleaned["password_again"]
        ):
            self.add_error("password_again", "The two passwords do not match.")
        return cleaned


class GrantRoleForm(forms.Form):
    email = forms.EmailField(
        label="Email address of the person",
        help_text="They need a login: invite them from their page in People first.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(label="Role", widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        from cadre.core.models import Role

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r != Role.MEMBER]
