"""How a written text is finished: openers and endings that fit, typography, no slot said
twice, quotes of whole clauses, review stars that agree with the text, French and English
posts written independently, injects in their platform's form."""

import re
from pathlib import Path

import pytest
import yaml

from simulator.engine.framing import (
    NBSP,
    NNBSP,
    fits_ending,
    fits_opener,
    rating_for,
    repeats,
    tidy,
)
from simulator.engine.loader import load_scenario, load_scenario_text
from simulator.engine.rng import Rng
from simulator.engine.storm import iter_posts
from simulator.engine.text import clause_quote, joined

DATA = Path(__file__).parent / "data"
COMMON = frozenset({"le", "je", "the", "my", "on"})


@pytest.fixture(scope="module")
def voices():
    return load_scenario(DATA / "voices.yaml")


# -- openers and endings ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "text", "lang", "fits"),
    [
        ("Bonjour quand même.", "Bonjour, mon colis est bloqué.", "fr", False),
        ("Good morning to you too.", "Hello, my parcel is stuck.", "en", False),
        ("Question bête :", "Bonne question, je me demande aussi.", "fr", False),
        ("Question bête :", "Mon colis arrive quand ?", "fr", True),
        ("Quick one,", "My parcel is stuck.", "en", False),
        ("Bon.", "Bon, on attend.", "fr", False),
        ("Franchement,", "mon colis est bloqué.", "fr", True),
        ("Pour info,", "Pour info le vrai Bleuet ne demande jamais de code.", "fr", False),
        ("Précision :", "Sur notre fil : la vidéo circule.", "fr", False),
        ("Info :", "[MAJ] La marque répond.", "fr", False),
        ("Précision :", "la vidéo circule depuis hier.", "fr", True),
    ],
)
def test_an_opener_fits_the_text_it_opens(head, text, lang, fits):
    assert fits_opener(head, text, lang) is fits


@pytest.mark.parametrize(
    ("tail", "text", "lang", "sentiment", "fits"),
    [
        ("Courage !", "Trois semaines sans colis, personne ne répond.", "fr", "negative", False),
        ("Courage à tous.", "On tient le quai, les colis partent.", "fr", "neutral", True),
        ("Merci d'avance.", "Pic d'appels sur le dépôt, on attend.", "fr", "neutral", False),
        ("Merci d'avance.", "On répond quoi aux clients ?", "fr", "neutral", True),
        ("Thanks in advance.", "Calls are piling up.", "en", "neutral", False),
        ("Sollicitée, rien.", "Nous avons sollicité la banque.", "fr", "neutral", False),
        ("Hang in there.", "Three weeks and nothing. Disgraceful.", "en", "negative", False),
        ("Lamentable.", "Trois semaines sans colis.", "fr", "negative", True),
        (
            "Thanks in advance.",
            "Could you tell me whether drivers come? Thanks.",
            "en",
            "neutral",
            False,
        ),
    ],
)
def test_an_ending_fits_the_text_and_its_mood(tail, text, lang, sentiment, fits):
    assert fits_ending(tail, text, lang, sentiment) is fits


def test_generated_posts_never_greet_twice_nor_thank_in_advance_without_asking(voices):
    for lang, greet in (("fr", r"bonjour|bonsoir|salut|coucou"), ("en", r"hello|hi\b|hey")):
        posts = [p for p in iter_posts(voices, 4, lang) if p.inject is None]
        two = re.compile(rf"^\W*({greet})\b.*\b({greet})\b", re.I)
        assert not [p.text for p in posts if two.search(p.text[:60])]
        ask = "merci d'avance" if lang == "fr" else "thanks in advance"
        assert not [p.text for p in posts if ask in p.text.lower() and "?" not in p.text]


# -- typography ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "lang", "read"),
    [
        ("Bonjour, Le colis est parti.", "en", "Bonjour, le colis est parti."),
        ("Hello, My parcel is late, I think.", "en", "Hello, my parcel is late, I think."),
        ("Bonjour, Marion a raison.", "en", "Bonjour, Marion a raison."),
        ("Bon, La Voix du Rhône a appelé.", "fr", "Bon, La Voix du Rhône a appelé."),
        ("Alors, Aucune idée.", "en", "Alors, aucune idée."),
        ("Need a tissue?, the real scam is fees", "en", "Need a tissue? The real scam is fees"),
        ("Done!. Next", "en", "Done! Next"),
        ("So.. what now", "en", "So. What now"),
        ("Wait... what", "en", "Wait... what"),
        (
            "Filled in the form on the the authority website",
            "en",
            "Filled in the form on the authority website",
        ),
        (
            "Hopla : « « c'est qu'un jouet » », la réponse",
            "en",
            "Hopla : « c'est qu'un jouet », la réponse",
        ),
    ],
)
def test_punctuation_where_slots_meet(written, lang, read):
    assert tidy(written, lang, COMMON) == read


def test_french_spacing_is_applied_everywhere_and_only_once():
    text = tidy("Le minimum: une réponse ?! « merci » ; voilà ! Rendez-vous à 13:30", "fr")
    assert text == (
        f"Le minimum{NBSP}: une réponse{NNBSP}?! «{NNBSP}merci{NNBSP}»{NNBSP}; "
        f"voilà{NNBSP}! Rendez-vous à 13:30"
    )
    assert tidy(text, "fr") == text
    assert tidy("Really? Yes: « no »", "en") == "Really? Yes: « no »"


def test_french_posts_are_spaced_the_french_way(voices):
    posts = [
        p for p in iter_posts(voices, 4, "fr") if p.kind != "share" and p.author.persona != "brand"
    ]
    bad = re.compile(r"[^\s\u202f\u00a0!?][;!?»]|«[^\u202f]| [;:!?»]")
    assert posts and not [p.text for p in posts if bad.search(p.text) and "http" not in p.text]


def test_an_opener_keeps_a_name_s_capital_and_lowers_a_common_word():
    assert (
        joined("Franchement,", "Le colis est perdu.", COMMON) == "Franchement, le colis est perdu."
    )
    assert joined("Franchement,", "Marion a raison.", COMMON) == "Franchement, Marion a raison."
    assert joined("Honestly,", "I give up.", COMMON) == "Honestly, I give up."
    assert joined("Bon.", "Le colis.", COMMON) == "Bon. Le colis."
    assert joined("Je le dis :", "J'ouvre un sujet.") == "Je le dis : j'ouvre un sujet."
    assert joined("Alors,", "La Voix du Rhône a appelé.") == "Alors, La Voix du Rhône a appelé."
    names = frozenset({"Marion", "Bleuet"})
    assert joined("Re,", "Huitième heure.", COMMON, names) == "Re, huitième heure."
    assert joined("Bon,", "Bleuet se tait.", COMMON, names) == "Bon, Bleuet se tait."
    assert joined("Info :", "HADP saisie.", COMMON, names) == "Info : HADP saisie."


# -- the same words twice -----------------------------------------------------------------


def test_a_slot_value_said_twice_is_a_repeat():
    assert repeats("my mobile number, my mobile number")
    assert repeats("The text had my name AND my name.")
    assert not repeats("je suis en colère et je suis à bout")
    assert not repeats("My name, my date of birth, my address.")
    assert repeats("Great app, but wondering whether this text is a scam. Wondering.")


def test_generated_posts_do_not_say_the_same_thing_twice(voices):
    for lang in ("fr", "en"):
        posts = [p for p in iter_posts(voices, 4, lang) if p.inject is None and p.kind != "share"]
        posts = [p for p in posts if p.kind != "article"]  # a lede may repeat its headline
        assert posts
        assert not [p.text for p in posts if repeats(p.text)]


# -- quotes -------------------------------------------------------------------------------

STATEMENT = (
    "Nous avons identifié un incident technique sur notre entrepôt de Saint-Priest et nous "
    "mettons tout en œuvre pour livrer les colis en attente avant jeudi soir, "
    "en priorité les commandes les plus anciennes. Nous revenons vers vous dans l'heure."
)


def test_a_quote_is_a_whole_clause_or_a_clause_cut_at_a_boundary():
    words = STATEMENT.replace(",", "").replace(".", "").split()
    starts = {"Nous", "en"}
    boundaries = {"et", "pour", "avant"}
    for seed in range(200):
        q = clause_quote(STATEMENT, Rng(seed)).split()
        assert len(q) >= 4
        i = next(i for i in range(len(words)) if words[i : i + len(q)] == q)  # in a row
        assert q[0] in starts
        end = i + len(q)
        assert (
            end == len(words)
            or words[end] in boundaries
            or words[end - 1] in ("jeudi", "soir", "anciennes", "l'heure")
        )


# -- reviews ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "low", "high"),
    [
        ("Réactifs et humains, je recommande.", "fr", 4, 5),
        ("Une étoile parce qu'on ne peut pas mettre zéro.", "fr", 1, 1),
        ("1/5 — Client depuis 2019, je clôture.", "fr", 1, 1),
        ("Déçu. Personne au bout du fil. À fuir.", "fr", 1, 2),
        ("Great app so far, but I wonder about my data.", "en", 3, 3),
        ("Still happy with them, I recommend.", "en", 4, 5),
    ],
)
def test_a_review_s_stars_agree_with_its_text(text, lang, low, high):
    for sentiment in ("negative", "neutral", "positive"):
        for draw in (0.1, 0.9):
            assert low <= rating_for(text, lang, sentiment, draw) <= high


# -- French and English: the same storm, written independently -----------------------------


def _parallel():
    d = yaml.safe_load((DATA / "voices.yaml").read_text(encoding="utf-8"))
    fr = [f"choix {w}" for w in ["un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit"]]
    en = [f"choice {w}" for w in ["one", "two", "three", "four", "five", "six", "seven", "eight"]]
    for lang, alts in (("fr", fr), ("en", en)):
        d["grammar"][lang]["personas"]["angry"]["microblog"]["post"] = ["{pick}"]
        d["grammar"][lang]["rules"]["pick"] = alts
    return load_scenario_text(yaml.safe_dump(d, allow_unicode=True), "parallel.yaml")


def test_french_and_english_posts_are_not_translations_of_each_other():
    """Same times, personas and sentiments in both languages; each language draws its own
    words (with shared draws, the French "choix trois" would always be the English
    "choice three")."""
    scenario = _parallel()
    fr_words = ["un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit"]
    en_words = ["one", "two", "three", "four", "five", "six", "seven", "eight"]
    pairs = []
    for seed in (9, 10, 11):
        fr, en = list(iter_posts(scenario, seed, "fr")), list(iter_posts(scenario, seed, "en"))
        shape = lambda p: (p.id, p.t, p.author.persona, p.author.followers, p.sentiment)  # noqa: E731
        assert [shape(p) for p in fr] == [shape(p) for p in en]
        for a, b in zip(fr, en, strict=True):
            x, y = re.search(r"choix (\w+)", a.text), re.search(r"choice (\w+)", b.text)
            if x and y and x.group(1) in fr_words and y.group(1) in en_words:
                pairs.append((fr_words.index(x.group(1)), en_words.index(y.group(1))))
    assert len(pairs) >= 40
    assert sum(a == b for a, b in pairs) < len(pairs) * 0.4  # independent: about one in eight


# -- injects in their platform's form ------------------------------------------------------


def test_injects_on_news_and_forum_carry_their_form_s_fields(voices):
    d = yaml.safe_load((DATA / "voices.yaml").read_text(encoding="utf-8"))
    d["injects"] += [
        {
            "id": "press-piece",
            "time": "10m",
            "platform": "news",
            "kind": "article",
            "persona": "journalist",
            "severity": 2,
            "text": {
                "fr": "Retards chez Colibri. Les clients témoignent.",
                "en": "Delays at Colibri. Customers speak out.",
            },
        },
        {
            "id": "forum-thread",
            "time": "11m",
            "platform": "forum",
            "persona": "customer",
            "severity": 1,
            "title": {"fr": "Colis bloqués ?", "en": "Stuck parcels?"},
            "text": {"fr": "Quelqu'un a des nouvelles ?", "en": "Any news?"},
        },
        {
            "id": "bad-review",
            "time": "12m",
            "platform": "forum",
            "kind": "review",
            "persona": "angry",
            "severity": 1,
            "text": {"fr": "À fuir, personne au bout du fil.", "en": "Avoid, no one answers."},
        },
    ]
    scenario = load_scenario_text(yaml.safe_dump(d, allow_unicode=True), "injects.yaml")
    for lang in ("fr", "en"):
        got = {
            p.inject: dict(p.extra) for p in iter_posts(scenario, 4, lang, until=900) if p.inject
        }
        assert got["press-piece"]["headline"] == (
            "Retards chez Colibri" if lang == "fr" else "Delays at Colibri"
        )
        assert got["press-piece"]["byline"]
        assert got["forum-thread"]["title"] == (
            "Colis bloqués\u202f?" if lang == "fr" else "Stuck parcels?"
        )
        assert got["bad-review"]["rating"] <= 2
