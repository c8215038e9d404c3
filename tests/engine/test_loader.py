"""The scenario loader: valid files load; bad ones say where and what, without a traceback."""

import time
from pathlib import Path

import pytest
import yaml

from simulator.engine.loader import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_NODES,
    ScenarioError,
    load_scenario,
    load_scenario_bytes,
    load_scenario_text,
    parse_duration,
)
from simulator.engine.storm import window

from .conftest import DATA, SCENARIOS

MINIMAL = (DATA / "minimal.yaml").read_text(encoding="utf-8")


def errors_of(text: str, source: str = "s.yaml") -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, source)
    return info.value.errors


def test_minimal_scenario_loads(minimal):
    assert minimal.id == "minimal"
    assert minimal.duration == 90 * 60
    assert [p.id for p in minimal.phases] == ["spark", "peak"]
    assert minimal.inject("first-complaint").deadline == 20 * 60
    assert minimal.inject("journalist-asks").phase == "peak"  # derived from its time
    assert minimal.title("en") == "Late parcel" and minimal.title("fr") == "Colis en retard"
    assert minimal.rubric.min_required == 2


@pytest.mark.parametrize(
    "text, seconds",
    [
        ("25m", 1500),
        ("1h30m", 5400),
        ("90s", 90),
        ("2h", 7200),
        (45, 45),
        ("600", 600),
        ("1h 5m 3s", 3903),
        ("25 min", None),
        ("", None),
        (-3, None),
        (True, None),
        ("1d", None),
    ],
)
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


def test_a_bad_duration_names_the_line_column_and_field():
    text = MINIMAL.replace("    time: 5m\n", '    time: "25 min"\n', 1)
    line = next(i for i, s in enumerate(text.splitlines(), 1) if '"25 min"' in s)
    assert errors_of(text, "scenarios/breach.yaml") == [
        f'scenarios/breach.yaml:{line}:11: injects[0].time: "25 min" is not a duration '
        f"(use 25m, 1h30m or a number of seconds)"
    ]


def test_unknown_keys_are_errors_at_the_key():
    text = MINIMAL.replace("    severity: 2\n", "    severity: 2\n    sevrity: 3\n", 1)
    (error,) = errors_of(text)
    line = next(i for i, s in enumerate(text.splitlines(), 1) if "sevrity" in s)
    assert error.startswith(f"s.yaml:{line}:5: injects[0].sevrity: unknown key")
    assert "severity" in error


def test_missing_required_key():
    text = MINIMAL.replace("    platform: brand_page\n", "", 1)
    (error,) = errors_of(text)
    assert 'injects[2]: missing required key "platform"' in error


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (
            "    persona: angry\n    author:",
            "    persona: nobody\n    author:",
            'injects[0].persona: "nobody" is not a persona of this scenario',
        ),
        (
            "    must_escalate_to: comms_director\n    expected_actions: [reply, escalate]",
            "    must_escalate_to: ceo\n    expected_actions: [reply, escalate]",
            'injects[0].must_escalate_to: "ceo" is not a role of this scenario',
        ),
        (
            "    phase: spark\n    platform: microblog",
            "    phase: peak\n    platform: microblog",
            'injects[0].time: "5m" is outside phase "peak"',
        ),
        ("    start: 30m", "    start: 0", "phases[1].start: phases must be in order"),
        ("    time: 60m", "    time: 3h", 'injects[3].time: "3h" is after the end'),
        (
            '    platform: news\n    persona: journalist\n    text: {fr: "Enquête',
            '    platform: tiktok\n    persona: journalist\n    text: {fr: "Enquête',
            'injects[3].platform: "tiktok" is not one of: microblog',
        ),
        (
            "    reply_to: first-complaint",
            "    reply_to: storm-comment",
            "injects[1].reply_to: replies to an inject that comes later",
        ),
        (
            "    approval_by: comms_director",
            "    approval_by: community_manager",
            "roles[0].approval_by: a role cannot approve its own replies",
        ),
        ("  - id: customer\n", "  - id: angry\n", 'personas[1].id: "angry" is used twice'),
        (
            "Toujours pas reçu mon {topic}",
            "Toujours pas reçu mon {produit}",
            "unknown placeholder {produit}",
        ),
        ("severity: 1\n", "severity: 9\n", "severity: 9 must be at most 5"),
        ("  name: Colibri Express\n", "  name: [Colibri]\n", "brand.name: expected a text"),
    ],
)
def test_errors_point_at_the_problem(old, new, expected):
    assert old in MINIMAL
    errors = errors_of(MINIMAL.replace(old, new, 1))
    assert any(expected in e for e in errors), errors
    assert all(e.startswith("s.yaml:") for e in errors)


def test_every_error_is_reported_sorted_by_line():
    text = MINIMAL.replace("severity: 1\n", "severity: 0\n").replace("duration: 90m", "duration: x")
    errors = errors_of(text)
    assert len(errors) == 3  # two severities and the duration
    lines = [int(e.split(":")[1]) for e in errors]
    assert lines == sorted(lines)


@pytest.mark.parametrize(
    "raw, expected",
    [
        (b"", "s.yaml:1:1: the file is empty"),
        (b"   \n\n", "s.yaml:1:1: the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "s.yaml:1:1: this is a binary file, not a YAML text file"),
        (b"id: x\ntitle: \xff\xfe\n", "s.yaml:2:1: the file is not UTF-8 text"),
        (b"id: [unclosed\n", "s.yaml:2:1: malformed YAML"),
        (b"- just\n- a list\n", "s.yaml:1:1: (top): a scenario is a mapping of keys"),
        (b"id: a\nid: b\n", "s.yaml:2:1: id: duplicate key"),
        (b"!!python/object:os.system {}\n", "malformed YAML"),
    ],
)
def test_hostile_files_get_a_clear_error(raw, expected):
    with pytest.raises(ScenarioError) as info:
        load_scenario_bytes(raw, "s.yaml")
    assert expected in str(info.value)


def test_a_50_megabyte_file_is_refused_without_reading_it(tmp_path: Path):
    big = tmp_path / "big.yaml"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    start = time.perf_counter()
    with pytest.raises(ScenarioError) as info:
        load_scenario(big)
    assert "too large (52.4 MB" in str(info.value)
    assert time.perf_counter() - start < 5  # refused, not parsed (generous: shared machines)
    assert MAX_BYTES < 50 * 1024 * 1024


def test_an_alias_bomb_is_refused():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 12):
        bomb += f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 10) + "]\n"
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(bomb, "bomb.yaml")
    assert "expands to more than" in str(info.value)


def test_a_merge_key_bomb_is_refused():
    """One mapping merged 300 times over: 300,000 pairs looked at from a 15 kB text."""
    keys = "m: &m {" + ", ".join(f"k{i}: {i}" for i in range(1000)) + "}\n"
    bomb = keys + "n: {<<: [" + ", ".join(["*m"] * 300) + "]}\n"
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(bomb, "bomb.yaml")
    assert info.value.errors == [
        f"bomb.yaml:2:4: malformed YAML: the document expands to more than {MAX_NODES} values "
        "(merge keys); write it out plainly"
    ]


def test_merges_shared_along_a_deep_chain_are_looked_at_once():
    """Each level merges the one below twice: 2^30 ways down, but 30 mappings to look at."""
    inner = "{a: 1}"
    for i in range(30):
        inner = f"{{<<: [&m{i} {inner}, *m{i}]}}"
    with pytest.raises(ScenarioError) as info:  # read, then refused only as an unknown key
        load_scenario_text(f"x: {inner}\n", "s.yaml")
    assert info.value.errors[0].startswith("s.yaml:1:1: x: unknown key")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("[" * 10_000, f"s.yaml:1:{MAX_DEPTH + 1}: malformed YAML: nested more than"),
        ("x: " + "{a: " * 5_000, f"s.yaml:1:{4 * MAX_DEPTH - 3}: malformed YAML: nested more"),
        ("a: &a [*a, *a]\n", "s.yaml:1:4: malformed YAML: a[0]: an alias refers to the value"),
        ("a: &a {b: 1, <<: *a}\n", "s.yaml:1:4: malformed YAML: a: an alias refers to the value"),
        ("a: &a {x: {<<: *a}}\n", "s.yaml:1:11: malformed YAML: a.x.x: an alias refers to"),
        ("? [1, 2]\n: x\n", "s.yaml:1:3: malformed YAML: a key is a plain value"),
    ],
)
def test_deep_nesting_and_cyclic_aliases_get_a_located_error(text, expected):
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "s.yaml")
    assert len(info.value.errors) == 1 and info.value.errors[0].startswith(expected)


def test_nesting_to_the_limit_is_read():
    text = MINIMAL + "x-deep: " + "[" * (MAX_DEPTH - 2) + "]" * (MAX_DEPTH - 2) + "\n"
    with pytest.raises(ScenarioError) as info:  # read, then refused only as an unknown key
        load_scenario_text(text, "s.yaml")
    assert info.value.errors[0].startswith(
        f"s.yaml:{MINIMAL.count(chr(10)) + 1}:1: x-deep: unknown key"
    )


def test_anchors_used_reasonably_are_fine():
    text = MINIMAL.replace(
        'label: {fr: "Client", en: "Customer"}', 'label: &cust {fr: "Client", en: "Customer"}'
    ).replace('label: {fr: "Salarié", en: "Employee"}', "label: *cust")
    assert load_scenario_text(text, "s.yaml").persona("staff").label.en == "Customer"


def test_the_documented_example_is_valid():
    example = load_scenario(Path(__file__).resolve().parents[2] / "docs" / "example-scenario.yaml")
    assert example.id == "example-late-parcel"


def test_a_control_character_is_a_clear_error():
    with pytest.raises(ScenarioError) as info:
        load_scenario_text("id: x\nname: \x11\n", "s.yaml")
    assert info.value.errors == ["s.yaml:2:7: malformed YAML: character '\\x11' is not allowed"]


def _only(node, lang: str):
    """The scenario's data with every bilingual text cut down to one language."""
    if isinstance(node, dict):
        if set(node) == {"fr", "en"} and all(isinstance(v, str) for v in node.values()):
            return {lang: node[lang]}
        return {k: _only(v, lang) if k != "grammar" else v for k, v in node.items()}
    if isinstance(node, list):
        return [_only(v, lang) for v in node]
    return node


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_scenario_needs_only_one_language(lang):
    data = _only(yaml.safe_load((DATA / "minimal.yaml").read_text(encoding="utf-8")), lang)
    data["languages"] = [lang]
    scenario = load_scenario_text(yaml.safe_dump(data, allow_unicode=True), "one.yaml")
    assert scenario.languages == (lang,)
    original = yaml.safe_load((DATA / "minimal.yaml").read_text(encoding="utf-8"))
    assert scenario.injects[0].text(lang) == original["injects"][0]["text"][lang]
    posts = window(scenario, 1, lang, (), 0, scenario.duration)
    assert posts and {p.lang for p in posts} == {lang}


def test_a_text_missing_in_a_declared_language_is_a_located_error():
    data = yaml.safe_load((DATA / "minimal.yaml").read_text(encoding="utf-8"))
    data["languages"] = ["fr", "en"]
    del data["injects"][0]["text"]["en"]
    errors = errors_of(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    assert len(errors) == 1 and 'injects[0].text: missing required key "en"' in errors[0], errors


def test_a_voice_may_set_how_often_a_persona_opens_and_signs_off():
    """docs/scenario-format.md lists `openers` and `endings` among a voice's figures: the
    schema takes them, the loader carries them to the persona's voice, and bounds hold."""
    text = MINIMAL.replace(
        "    archetype: angry_customer\n",
        "    archetype: angry_customer\n    voice: {openers: 0.1, endings: 0.9, emoji: 0}\n",
        1,
    )
    assert text != MINIMAL
    voice = load_scenario_text(text, "s.yaml").persona("angry").voice
    assert (voice.openers, voice.endings, voice.emoji) == (0.1, 0.9, 0.0)
    errors = errors_of(text.replace("endings: 0.9", "endings: 1.5"))
    assert any("endings" in e for e in errors), errors
    assert errors_of(text.replace("endings: 0.9", "endingz: 0.9"))


def test_libyaml_and_pure_python_read_every_shipped_scenario_alike(monkeypatch):
    """The fast path (libyaml) gives the same values at the same lines and columns as PyYAML's
    pure loader, whose messages are reported when a document is malformed."""
    from simulator.engine import loader as ld

    assert ld._FastLoader is not None, "PyYAML was built without libyaml"
    texts = [p.read_text() for p in sorted(SCENARIOS.glob("*.yaml"))]
    texts.append((DATA / "minimal.yaml").read_text())
    fast = [ld._parse(t, "x.yaml") for t in texts]
    monkeypatch.setattr(ld, "_FastLoader", None)
    pure = [ld._parse(t, "x.yaml") for t in texts]
    for a, b in zip(fast, pure, strict=True):
        assert (a.data, a.values, a.keys) == (b.data, b.values, b.keys)


def test_the_compiled_schema_never_passes_what_jsonschema_refuses():
    """A scenario the fast check lets through must be one jsonschema finds no error in: every
    test document, valid or broken by one field, gets the same verdict from both."""
    from simulator.engine import loader as ld

    base = yaml.safe_load((DATA / "minimal.yaml").read_text())
    broken = [
        ("duration", "soon"),
        ("severity", 9),
        ("platforms", ["microblog", "fax"]),
        ("languages", ["de"]),
        ("title", {"fr": ""}),
        ("unknown_key", 1),
    ]
    documents = [base] + [{**base, key: value} for key, value in broken]
    documents += [yaml.safe_load(p.read_text()) for p in sorted(SCENARIOS.glob("*.yaml"))]
    refused = 0
    for doc in documents:
        langs = ld._declared_languages(doc)
        fast = list(ld._schema_errors(doc, langs))
        slow = list(ld._validator(langs).iter_errors(doc))
        assert [e.message for e in fast] == [e.message for e in slow]
        refused += bool(slow)
    assert refused >= len(broken)
