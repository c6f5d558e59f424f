import pytest
from django.urls import reverse

from questions.models import Objective, Question
from tests.factories import make_bank

ADD = reverse("admin:questions_question_add")


@pytest.fixture
def objective(mls):
    return Objective.objects.get(domain__exam=mls, code="2.2")


def form_data(objective, options, **fields):
    data = {
        "key": "admin-1",
        "objective": objective.pk,
        "type": "single",
        "status": "active",
        "stem": "Which encoding suits a nominal feature with 5 values?",
        "explanation": "One-hot encoding avoids a false order. Label encoding implies one.",
        "references": '["https://scikit-learn.org/stable/modules/preprocessing.html"]',
        "options-TOTAL_FORMS": str(len(options)),
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
    }
    for i, (text, correct) in enumerate(options):
        data[f"options-{i}-text"] = text
        data[f"options-{i}-order"] = str(i)
        if correct:
            data[f"options-{i}-is_correct"] = "on"
    data.update(fields)
    return data


def test_it_adds_a_multiple_response_question_with_inline_options(admin_client, objective):
    options = [
        ("One-hot", True),
        ("Binning", True),
        ("Label", False),
        ("PCA", False),
        ("t-SNE", False),
    ]
    r = admin_client.post(ADD, form_data(objective, options, type="multiple"))
    assert r.status_code == 302
    q = Question.objects.get(key="admin-1")
    assert q.type == "multiple"
    assert [(o.text, o.is_correct) for o in q.options.all()] == options
    assert q.choose() == 2


def test_it_shows_a_validation_error_for_two_correct_single_answers(admin_client, objective):
    options = [("One-hot", True), ("Binning", True), ("Label", False), ("PCA", False)]
    r = admin_client.post(ADD, form_data(objective, options))
    assert r.status_code == 200
    assert "needs exactly one correct option (it has 2)" in r.text
    assert not Question.objects.exists()


def test_it_shows_field_errors_on_the_form(admin_client, objective):
    options = [("a", True), ("b", False), ("c", False), ("d", False)]
    r = admin_client.post(ADD, form_data(objective, options, explanation="", key="bad key"))
    assert r.status_code == 200
    errors = r.context["adminform"].form.errors
    assert errors["explanation"] == ["An active question needs an explanation."]
    assert "key" in errors
    assert not Question.objects.exists()


def test_it_edits_a_question_and_its_options(admin_client, objective):
    admin_client.post(
        ADD, form_data(objective, [("a", True), ("b", False), ("c", False), ("d", False)])
    )
    q = Question.objects.get()
    opts = list(q.options.all())
    data = form_data(objective, [], stem="Edited stem?")
    data.update({"options-TOTAL_FORMS": "4", "options-INITIAL_FORMS": "4"})
    for i, o in enumerate(opts):
        data.update({
            f"options-{i}-id": o.pk, f"options-{i}-question": q.pk,
            f"options-{i}-text": o.text.upper(), f"options-{i}-order": i,
        })  # fmt: skip
    data["options-1-is_correct"] = "on"
    r = admin_client.post(reverse("admin:questions_question_change", args=[q.pk]), data)
    assert r.status_code == 302
    q.refresh_from_db()
    assert q.stem == "Edited stem?"
    assert [(o.text, o.is_correct) for o in q.options.all()] == [
        ("A", False), ("B", True), ("C", False), ("D", False)
    ]  # fmt: skip


def test_it_previews_a_question_as_a_candidate_sees_it(admin_client, mls):
    q = make_bank(mls, per_objective=1)[0]
    r = admin_client.get(reverse("admin:questions_question_preview", args=[q.pk]))
    assert r.status_code == 200
    assert q.stem in r.text
    assert 'type="radio" name="option"' in r.text
    assert "EXPLANATION" not in r.text  # candidates do not see it while answering


def test_it_lists_filters_and_searches(admin_client, mls):
    make_bank(mls, per_objective=2)
    url = reverse("admin:questions_question_changelist")
    r = admin_client.get(
        url, {"type__exact": "single", "objective__domain__exam__id__exact": mls.pk}
    )
    assert r.status_code == 200
    assert r.context["cl"].result_count == 30
    r = admin_client.get(url, {"q": "EXPLANATION-3.2-1"})
    assert r.context["cl"].result_count == 1
    for model in ("exam", "domain", "objective"):
        assert admin_client.get(reverse(f"admin:questions_{model}_changelist")).status_code == 200


def test_it_activates_only_valid_questions_and_retires(admin_client, objective):
    good = Question.objects.create(key="good", objective=objective, stem="s", explanation="e")
    for i in range(4):
        good.options.create(text=str(i), is_correct=i == 0)
    bad = Question.objects.create(key="bad", objective=objective, stem="s")
    url = reverse("admin:questions_question_changelist")
    r = admin_client.post(
        url, {"action": "activate", "_selected_action": [good.pk, bad.pk]}, follow=True
    )
    assert "Activated 1 question(s)." in r.text
    assert "Not activated: bad (An active question needs an explanation." in r.text
    assert Question.objects.get(key="good").status == "active"
    assert Question.objects.get(key="bad").status == "draft"
    admin_client.post(url, {"action": "retire", "_selected_action": [good.pk]})
    assert Question.objects.get(key="good").status == "retired"


def test_it_keeps_candidates_out_of_the_admin(client, alice, mls):
    client.force_login(alice)
    r = client.get(ADD)
    assert r.status_code == 302
    assert "/admin/login/" in r["Location"]
