from django import forms

from cadre.core.govuk import error_summary, render_component, render_field


class ExampleForm(forms.Form):
    name = forms.CharField(label="Full name", help_text="As on your payslip")
    email = forms.EmailField(label="Email address")
    colour = forms.ChoiceField(label="Colour", choices=[("r", "Red"), ("g", "Green")], widget=forms.RadioSelect)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    agree = forms.BooleanField(label="I agree")


def test_a_failed_form_keeps_what_was_typed_and_links_errors_to_fields():
    form = ExampleForm(data={"name": "Ada <Lovelace>", "email": "not-an-email", "colour": "g"})
    assert not form.is_valid()
    name = render_field(form["name"])
    assert 'value="Ada &lt;Lovelace&gt;"' in name
    assert "As on your payslip" in name
    email = render_field(form["email"])
    assert "govuk-form-group--error" in email and 'value="not-an-email"' in email
    assert 'aria-describedby="id_email-error"' in email
    assert "checked" in render_field(form["colour"])
    summary = error_summary(form)
    assert "There is a problem" in summary
    assert 'href="#id_email"' in summary and 'href="#id_agree"' in summary


def test_no_summary_for_a_form_without_errors():
    assert error_summary(ExampleForm()) == ""


def test_text_is_escaped_in_components():
    html = render_component("warning-text", {"text": "<script>alert(1)</script>"})
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_several_choices_are_checkboxes_and_keep_every_tick():
    class Choices(forms.Form):
        colours = forms.MultipleChoiceField(
            label="Colours", choices=[("r", "Red"), ("g", "Green")], widget=forms.CheckboxSelectMultiple
        )

    html = render_field(Choices(data={"colours": ["r", "g"]})["colours"])
    assert "govuk-checkboxes" in html and "govuk-radios" not in html
    assert html.count("checked") == 2
