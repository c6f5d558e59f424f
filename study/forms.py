from django import forms

from exams.models import Attempt
from questions.models import Domain, Objective

SOURCES = [
    ("any", "Any question"),
    ("unseen", "Questions I have not seen"),
    ("missed", "Questions I missed before"),
    ("flagged", "Questions I flagged before"),
    ("due", "Questions due for review"),
]


class PracticeForm(forms.Form):
    """What a practice session asks: every field checked by type and range before a write."""

    domains = forms.ModelMultipleChoiceField(
        Domain.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    objectives = forms.ModelMultipleChoiceField(
        Objective.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    source = forms.ChoiceField(choices=SOURCES, initial="any", widget=forms.RadioSelect)
    size = forms.IntegerField(min_value=5, max_value=65, initial=10, label="Questions")
    timer = forms.ChoiceField(
        choices=[("none", "No timer"), ("pace", "The exam's pace per question")],
        initial="none",
        widget=forms.RadioSelect,
    )
    feedback = forms.ChoiceField(
        choices=Attempt.Feedback.choices, initial=Attempt.Feedback.EACH, widget=forms.RadioSelect
    )

    def __init__(self, exam, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domains"].queryset = Domain.objects.filter(exam=exam.bank)
        self.fields["domains"].label_from_instance = lambda d: f"{d.number}. {d.name}"
        self.fields["objectives"].queryset = Objective.objects.filter(domain__exam=exam.bank)
        self.fields["objectives"].label_from_instance = lambda o: f"{o.code} {o.title}"

    def clean_size(self):
        # The numeric field accepts only ASCII digits, like every parameter of ours.
        raw = self.data.get(self.add_prefix("size"), "")
        if not str(raw).isascii():
            raise forms.ValidationError("Enter a whole number from 5 to 65.")
        return self.cleaned_data["size"]
