"""The rubric finds required and forbidden elements regardless of case and accents."""

from simulator.engine.rubric import assess, fold


def test_fold_keeps_positions():
    folded, where = fold("Désolé !")
    assert folded == "desole !"
    assert where == [0, 1, 2, 3, 4, 5, 6, 7]


def test_a_good_reply(minimal):
    a = assess(minimal.rubric, "Nous sommes DÉSOLÉS. Nous travaillons à une solution.", "fr")
    assert a.verdict == "good"
    assert a.met == ("acknowledge", "action")
    assert [h.phrase for h in a.required] == ["Nous sommes DÉSOLÉS", "Nous travaillons"]
    assert a.forbidden == ()


def test_phrases_match_whole_words_only(minimal):
    assert assess(minimal.rubric, "Les désolées sont là", "fr").verdict == "empty"
    assert assess(minimal.rubric, "Sorry!", "en").verdict == "partial"
    assert assess(minimal.rubric, "unsorry", "en").verdict == "empty"


def test_forbidden_phrase_is_shown_where_it_is(minimal):
    text = "Merci. Pas de commentaire pour le moment."
    a = assess(minimal.rubric, text, "fr")
    assert a.verdict == "bad"
    (hit,) = a.forbidden
    assert (hit.element, text[hit.start : hit.end]) == ("no_comment", "Pas de commentaire")


def test_denial_mixed_with_apology_needs_both(minimal):
    assert assess(minimal.rubric, "Sorry, this has nothing to do with us.", "en").verdict == "bad"
    assert assess(minimal.rubric, "This has nothing to do with us.", "en").verdict == "empty"
    assert assess(minimal.rubric, "Sorry, we are looking into it.", "en").verdict == "good"


def test_phrases_are_per_language(minimal):
    assert assess(minimal.rubric, "no comment", "fr").verdict == "empty"
    assert assess(minimal.rubric, "no comment", "en").verdict == "bad"
