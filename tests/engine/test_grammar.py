"""The crowd's words: a grammar per persona, facts known only once revealed, forms per
platform, French elision and agreement, and validation that says where a grammar is wrong."""

from bisect import bisect_right
from collections import defaultdict
from itertools import product
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.engine.actions import Action
from simulator.engine.grammar import Ctx, Expander, State, _agree, compile_rules, finish, french
from simulator.engine.grammar.french import polish
from simulator.engine.loader import ScenarioError, load_scenario, load_scenario_text
from simulator.engine.rng import Rng
from simulator.engine.storm import iter_posts, post_dict, post_json

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def voices():
    return load_scenario(DATA / "voices.yaml")


def run(scenario, lang="fr", seed=3, actions=(), until=None):
    return list(iter_posts(scenario, seed, lang, actions, until=until))


def generated(posts):
    return [p for p in posts if p.inject is None and p.kind != "share" and p.cause is None]


# -- French -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("Les infirmières de Angers", "Les infirmières d'Angers"),
        ("Je vais à le hôpital de le quartier", "Je vais à l'hôpital du quartier"),
        ("la lettre de les clients à les salariés", "la lettre des clients aux salariés"),
        ("De Orléans à le Havre", "D'Orléans au Havre"),
        ("la honte de le héros", "la honte du héros"),
        ("Je crois que il ment, si il parle", "Je crois qu'il ment, s'il parle"),
        ("le accord et la usine", "l'accord et l'usine"),
        ("Une heure de attente", "Une heure d'attente"),
        ("ce est fini", "c'est fini"),
    ],
)
def test_french_elides_and_contracts_where_words_meet(written, read):
    assert polish(written) == read


WORDS = [
    "de",
    "De",
    "le",
    "la",
    "les",
    "à",
    "À",
    "que",
    "si",
    "Si",
    "ce",
    "il",
    "ils,",
    "est",
    "ami",
    "hôpital",
    "héros",
    "aussi",
    "lorsque",
    "(de",
    "l'",
    "1de",
    "en",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from([" ", " ", "", "'", ", ", "\n"])))
)
def test_french_looks_for_places_where_words_meet_only_to_save_time(pieces):
    """polish skips a pass where a quick look finds nothing: the text is what every pass
    would have written."""
    text = "".join(w + sep for w, sep in pieces)
    every_pass = french._LES.sub(lambda m: french._CONTRACT[m.group(0)], text)
    every_pass = french._ELISION.sub(french._elide, french._LE.sub(french._le, every_pass))
    assert polish(text) == every_pass


def test_french_agrees_with_the_last_value_that_declares_gender_and_number():
    rules = compile_rules(
        {
            "thing": [{"text": "les colis", "number": "pl"}],
            "one": [{"text": "la commande", "gender": "f"}],
            "a": ["{thing} [est|sont] bloqué[|e|s|es] à le dépôt"],
            "b": ["{one} [est|sont] bloqué[|e|s|es] à le dépôt"],
        },
        (),
        ("test",),
    )
    words = Expander({"p": rules}, {}, "fr", lambda name, ctx: "", State(known=set()))
    ctx = Ctx("p", 0, "x", "negative", "microblog", Rng(1))
    assert words.write(ctx, "a") == "Les colis sont bloqués au dépôt"
    assert words.write(ctx, "b") == "La commande est bloquée au dépôt"


def _interpreted(words: Expander, ctx: Ctx, name: str, depth: int = 0) -> str | None:
    """The grammar read part by part, as the engine did before it compiled alternatives."""
    st = words.state
    alts = [
        a
        for a in words.lookup[ctx.persona].get(name, ())
        if (a.phases is None or ctx.phase_id in a.phases)
        and (a.sentiments is None or ctx.sentiment in a.sentiments)
        and (a.platforms is None or ctx.platform in a.platforms)
        and a.known <= st.known
        and a.unknown.isdisjoint(st.known)
        and (a.brand is None or st.brand in a.brand)
        and (a.promise is None or st.promise in a.promise)
    ]
    if not alts:
        return None
    cum, total = [], 0.0
    for a in alts:
        total += a.weight
        cum.append(total)
    for _ in range(3):
        alt = alts[min(bisect_right(cum, ctx.rng.random() * cum[-1]), len(alts) - 1)]
        out: list[str] | None = [] if depth <= Expander.MAX_DEPTH else None
        for p in alt.parts if out is not None else ():
            if isinstance(p, str):
                out.append(p)
            elif p[0] == "r":
                sub = _interpreted(words, ctx, p[1], depth + 1)
                if sub is None and not p[2]:
                    out = None
                    break
                out.append(sub or "")
            elif p[0] == "f":
                variants = words.facts.get(p[1])
                if not variants:
                    out = None
                    break
                value, agree = variants[int(ctx.rng.random() * len(variants))]
                ctx.agree = agree or ctx.agree
                out.append(value)
            elif p[0] == "b":
                out.append(words.builtin(p[1], ctx))
            else:
                out.append(_agree(p[1], ctx.agree))
        if out is not None:
            ctx.agree = alt.agree or ctx.agree
            return "".join(out)
    return None


def test_compiled_alternatives_write_what_the_grammar_reads_draw_for_draw():
    """Every kind of slot, conditions, weights, failing and optional parts, recursion past
    the depth limit: the compiled expander gives the same text from the same draws."""
    rules = compile_rules(
        {
            "microblog": {"post": ["{a}", {"text": "{b} {?c}", "weight": 3}, "{deep}", "{stuck}"]},
            "a": [
                "simple texte",
                "{thing} [est|sont] parti[|e|s|es] de {city}, {number} fois",
                {"text": "{?gone} {brand} et {fact_x}", "phase": "late"},
                {"text": "on sait : {fact_x}", "known": ["fact_x"]},
            ],
            "b": [{"text": "{thing} [arrive|arrivent]", "gender": "f"}, "{stuck}"],
            "c": ["{fact_y}", "{?b}", "fin"],
            "thing": [
                {"text": "les colis", "number": "pl"},
                {"text": "la commande", "gender": "f", "weight": 2},
                "le carton",
            ],
            "none": [{"text": "personne", "sentiment": "positive"}],
            "gone": [{"text": "parti", "unknown": ["fact_x"]}],
            "deep": [{"text": "{deep} encore", "weight": 6}, "fond"],
            "stuck": ["{none} jamais", "{fact_y}"],
        },
        ("fact_x", "fact_y"),
        ("test",),
    )
    facts = {"fact_x": (("la rupture", "f"), ("les retards", "mpl")), "fact_y": ()}

    def builtin(name, ctx):
        return f"<{name}:{ctx.rng.below(50)}>"

    state = State(known=set())
    words = Expander({"p": rules}, facts, "fr", builtin, state)
    texts = set()
    for seed in range(400):
        if seed == 200:
            state.learn("fact_x")
        for (i, phase), start in product(enumerate(("early", "late")), ("microblog.post", "b")):
            mine, theirs = Rng(seed), Rng(seed)
            a = Ctx("p", i, phase, "negative", "microblog", mine)
            b = Ctx("p", i, phase, "negative", "microblog", theirs)
            text = words.expand(a, start)
            assert text == _interpreted(words, b, start)
            assert (a.agree, mine.n, mine.i) == (b.agree, theirs.n, theirs.i)
            texts.add(text)
    assert None in texts and len(texts) > 80  # failures and many texts were compared


def test_a_finished_text_has_no_dangling_comma_and_capitals_after_a_full_stop():
    assert finish("même situation,  ", "fr") == "Même situation"
    assert finish("c'est fait. et toujours rien", "fr") == "C'est fait. Et toujours rien"


# -- voices, forms, facts -----------------------------------------------------------------


def test_a_persona_speaks_only_its_own_lines(voices):
    """Each test persona has a made-up word of its own: no post carries another's."""
    marks = {
        "angry": "zaglop",
        "customer": "wibble",
        "journalist": "gazouille",
        "influencer": "plouf",
        "staff": "flonk",
    }
    posts = generated(run(voices, until=3600))
    assert len(posts) > 300
    by_persona = defaultdict(set)
    for post in posts:
        low = post.text.lower()
        found = {p for p, word in marks.items() if word in low}
        assert found == {post.author.persona}, (post.author.persona, post.text)
        by_persona[post.author.persona].add(post.text)
    assert len(by_persona) >= 4


def test_each_platform_has_its_form(voices):
    posts = run(voices, until=5400)
    forum = [p for p in posts if p.platform == "forum" and p.parent is None and not p.inject]
    news = [p for p in posts if p.platform == "news" and p.kind == "article" and not p.inject]
    assert forum and news
    for post in forum:
        d = post_dict(post)
        if post.kind == "review":
            assert d["rating"] in (1, 2, 3, 4, 5)
            assert "title" not in d
        else:
            assert d["title"]
    for post in news:
        d = post_dict(post)
        assert d["headline"] and d["lede"] and d["byline"] == "Jeanne Morel – La Gazette"
        assert d["text"].startswith(d["headline"]) and d["lede"] in d["text"]
        assert "gazouille" in d["text"].lower()  # the press persona's words, nobody else's
    micro = {p.text for p in posts if p.platform == "microblog"}
    assert not any(p.text in micro for p in news)
    # the public fields are unchanged; extra fields only where a form needs them
    plain = post_dict(next(p for p in posts if p.platform == "microblog"))
    assert set(plain) == {
        "id", "t", "platform", "kind", "author", "text", "lang", "parent", "inject",
        "sentiment", "cause",
    }  # fmt: skip


def test_a_fact_is_not_said_before_its_inject_and_is_said_after(voices):
    reveal = voices.inject("journalist-asks").time
    for lang, word in (("fr", "saint-priest"), ("en", "saint-priest")):
        posts = generated(run(voices, lang=lang, until=5400))
        before = [p for p in posts if p.t < reveal and word in p.text.lower()]
        after = [p for p in posts if p.t >= reveal and word in p.text.lower()]
        assert not before
        assert len(after) >= 5


def test_a_statement_reveals_its_facts_in_that_team_s_world_only(voices):
    t = 1200.0
    statement = Action(t=t, type="holding_statement", text="Nous sommes désolés.")
    said = generated(run(voices, actions=[statement], until=5400))
    silent = generated(run(voices, until=5400))
    assert any("les excuses de Colibri" in p.text for p in said if p.t > t)
    assert not any("les excuses de Colibri" in p.text for p in said if p.t <= t)
    assert not any("les excuses de Colibri" in p.text for p in silent)


def test_slots_are_elided_in_posts(voices):
    texts = [p.text for p in generated(run(voices, until=5400))]
    assert any("d'Orléans" in t for t in texts)
    assert not any("de Orléans" in t or "de Angers" in t for t in texts)


def test_fixed_authors_speak_for_institutional_personas(voices):
    journalists = {p.author.handle for p in run(voices) if p.author.persona == "journalist"}
    assert journalists <= {"@gazette_colis"}


def test_generated_names_are_believable(voices):
    authors = {p.author for p in run(voices, lang="fr", until=3600)}
    assert len(authors) > 30
    for a in authors:
        first = a.name.split(" ")[0]
        last = a.name.split(" ")[-1].rstrip(".")
        assert len(a.name.split(" ")) == 1 or first.lower()[:4] != last.lower()[:4], a
        assert a.handle.startswith("@") and 3 <= len(a.handle) <= 16


def test_the_storm_stays_deterministic(voices):
    actions = [Action(t=900.0, type="holding_statement", text="Nous sommes désolés.")]
    a = [post_json(p) for p in run(voices, seed=9, actions=actions, until=3000)]
    b = [post_json(p) for p in run(voices, seed=9, actions=actions, until=3000)]
    assert a == b


# -- validation -----------------------------------------------------------------------------


def _with(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def _errors(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "v.yaml")
    return info.value.errors


SOURCE = (DATA / "voices.yaml").read_text(encoding="utf-8")


def test_an_unknown_rule_is_located():
    text = _with(SOURCE, '"{a_story} {time_expr}"', '"{a_story} {nowhere}"')
    (error,) = _errors(text)
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if "{nowhere}" in ln)
    assert error.startswith(f"v.yaml:{line}:")
    assert "{nowhere} is not a rule or a fact" in error
    assert "grammar.fr.personas.angry.microblog.post" in error


def test_an_undeclared_fact_in_a_condition_is_located():
    text = _with(SOURCE, "known: apology}", "known: regret}")
    (error,) = _errors(text)
    assert '"regret" is not a fact of this scenario' in error
    assert error.startswith("v.yaml:")


def test_a_persona_without_lines_for_its_platform_is_refused():
    # the influencer archetype has nothing for a brand page, and neither has this persona
    text = _with(
        SOURCE,
        "    stance: negative\n    platforms: [microblog]\n",
        "    stance: negative\n    platforms: [microblog, brand_page]\n",
    )
    errors = _errors(text)
    assert len(errors) == 2  # one per language
    assert 'persona "influencer" posts on brand_page but has no lines for it in fr' in errors[0]
    assert "grammar.fr.personas.influencer.brand_page.comment" in errors[0]


def test_old_and_new_formats_do_not_mix():
    text = _with(
        SOURCE,
        '    topics: {fr: ["livraison"], en: ["delivery"]}\n',
        '    topics: {fr: ["livraison"], en: ["delivery"]}\n'
        '    templates: {neutral: {fr: ["x"], en: ["x"]}}\n',
    )
    (error,) = _errors(text)
    assert "this scenario has a grammar" in error


def test_old_style_scenarios_still_load_and_run(minimal):
    assert not minimal.grammar
    assert run(minimal, until=600)
