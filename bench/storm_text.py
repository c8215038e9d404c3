"""What the storm says: the text targets of issue 10, per shipped scenario and language.

For every shipped scenario x language (fixed seed), the storm is played without actions and
measured on generated posts only (no inject posts, no brand posts, no shares). Two texts are
"the same" when they have the same set of words of 4+ letters, ignoring case, punctuation,
emoji, numbers, mentions and hashtags.

- distinct      distinct texts / posts (target >= 80%)
- top           how often the most repeated text appears (target <= 10)
- multi         % of distinct texts written by 2+ personas (target <= 10%)
- news=mb       % of news texts also found on the microblog (target <= 2%)
- early pairs   neighbouring content-word pairs that an inject reveals, seen in generated posts
                before that inject (target: 0 beyond a couple of generic phrases); the worst
                pairs are listed. A pair is not revealed by an inject when an earlier inject
                said it, when it is part of a fact already known (revealed by an earlier
                inject or at a time before this one), when one of its words is the brand's
                name (« fuite Bleuet », "Bleuet customers": the brand is no news), or when it
                is on GENERIC below: the
                everyday words of any such crisis (waiting on hold, customer service, "did not
                answer our questions"), which people say before any inject does

Then, with one holding statement (the scenario's first playbook text) at 20% of the duration:
- silence       silence complaints 2-30 min after it, as % of the same window unanswered
                (target <= 20%)
- quotes        generated posts quoting, in quotation marks, 4+ consecutive words of the
                statement (target >= 10)
- bait          for each bait inject (`bait: true`, else injects whose only expected action is
                "ignore"): later descendants of its thread with a public reply 2 min after it
                vs with none (target: reply > none)

    .venv/bin/python bench/storm_text.py [--scenario ID] [--lang fr|en] [--seed N] [--jobs 2]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.engine.actions import Action  # noqa: E402
from simulator.engine.loader import load_directory, load_scenario  # noqa: E402
from simulator.engine.storm import iter_posts  # noqa: E402

_TAGS = re.compile(r"[@#][\w.]+")
_WORDS = re.compile(r"[^\W\d_]+")
_LONG = re.compile(r"[^\W\d_]{4,}")

# Complaints that the brand says nothing (not complaints about what it said, or a broken
# promise): matched on lowercased text.
SILENCE = {
    "fr": (
        "toujours rien",
        "n'a rien dit",
        "rien dit",
        "ne dit rien",
        "disent rien",
        "se tait",
        "se taisent",
        "silence de",
        "silence total",
        "silence radio",
        "ce silence",
        "leur silence",
        "son silence",
        "pas un mot",
        "aucun message de",
        "aucun communiqué",
        "pas de communiqué",
        "toujours aucune réponse",
        "toujours pas de réponse",
        "toujours aucun",
        "toujours pas un",
        "fait le mort",
        "font les morts",
        "ne répond toujours",
        "répondent toujours pas",
        "muet",
        "muets",
    ),
    "en": (
        "still nothing",
        "still hasn't said",
        "still haven't said",
        "said nothing",
        "says nothing",
        "saying nothing",
        "stays silent",
        "staying silent",
        "silence from",
        "total silence",
        "radio silence",
        "this silence",
        "their silence",
        "'s silence",
        "not a word",
        "not one word",
        "no message from",
        "no statement",
        "still no answer",
        "still no response",
        "still no reply",
        "still no email",
        "still no word",
        "playing dead",
        "not answering",
        "isn't answering",
        "aren't answering",
        "keeps quiet",
        "keeping quiet",
    ),
}

STOP = frozenset(
    """
    dans pour avec sont mais plus tout tous toute toutes cette ces leur leurs nous vous elle
    elles ils être avoir fait faire comme quand sans sous chez entre aussi très bien encore
    depuis avant après donc alors même rien quoi dont était sera peut vers ceci cela celle
    celui ceux quel quelle quels quelles votre notre nos vos mon ton son mes tes ses
    that this with have from they their them been were your what when will just about into
    than then there these those which while would could should also only over after before
    here more most much very some such like does done being other ours yours
    """.split()  # noqa: SIM905
)


# Pairs that are not facts: the everyday words of a customer crisis, said by anyone from the
# first minute (an inject saying them reveals nothing). Keep this list short and generic: a
# scenario's facts (a number, a name, a place, a lawsuit) never go here, they are gated on
# the inject that reveals them.
GENERIC = {
    "fr": {
        ("service", "client"),
        ("service", "clients"),
        ("minutes", "attente"),
        ("heure", "attente"),
        ("appels", "attente"),
        ("répondu", "questions"),
        ("numéro", "vert"),
        # what every customer of a bank asks after a breach
        ("changer", "iban"),
        ("faire", "opposition"),
        ("mots", "passe"),
        ("bons", "réflexes"),
        ("mets", "jour"),
        ("mettons", "jour"),
        ("heures", "silence"),
        ("sms", "matin"),
        ("lien", "sms"),
        # the kinds of personal data a leak exposes, named together
        ("iban", "date"),
        ("clôturer", "compte"),
    },
    "en": {
        ("customer", "service"),
        ("customer", "services"),
        ("minutes", "hold"),
        ("hour", "hold"),
        ("calls", "waiting"),
        ("answered", "questions"),
        ("know", "whether"),
        ("cancel", "cards"),
        ("change", "ibans"),
        ("safety", "tips"),
        ("hours", "silence"),
        ("text", "morning"),
        ("link", "text"),
        ("iban", "date"),
        # what an angry customer says first
        ("closing", "account"),
    },
}


def text_key(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _LONG.findall(_TAGS.sub(" ", text)))


def content_words(text: str) -> list[str]:
    return [
        w
        for w in (w.lower() for w in _WORDS.findall(_TAGS.sub(" ", text)))
        if len(w) >= 4 and w not in STOP
    ]


_CLAUSES = re.compile(r"[.!?;:,()«»“”\"—–…]|\s-\s|\d")


def pairs(text: str) -> set[tuple[str, str]]:
    """Neighbouring content words within a clause ("mars ? Merci" is not a pair)."""
    out: set[tuple[str, str]] = set()
    for clause in _CLAUSES.split(text):
        words = content_words(clause)
        out.update(zip(words, words[1:], strict=False))
    return out


def ngrams(text: str, n: int = 4) -> set[tuple[str, ...]]:
    words = [w.lower() for w in _WORDS.findall(_TAGS.sub(" ", text))]
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


_QUOTED = re.compile(r"«([^»]+)»|“([^”]+)”|\"([^\"]+)\"|(?<!\w)'([^']+)'(?!\w)")


def quoted_ngrams(text: str, n: int = 4) -> set[tuple[str, ...]]:
    """4-grams inside quotation marks: a quote, not a coincidence of common words."""
    out: set[tuple[str, ...]] = set()
    for m in _QUOTED.finditer(text):
        out |= ngrams(next(g for g in m.groups() if g), n)
    return out


def generated(post) -> bool:
    return post.inject is None and post.author.persona != "brand" and post.kind != "share"


def is_silence(text: str, lang: str) -> bool:
    low = text.lower().replace("’", "'")
    return any(p in low for p in SILENCE[lang])


def bait_injects(scenario):
    out = []
    for inj in scenario.scheduled_injects:
        marked = getattr(inj, "bait", False)
        if marked or (not hasattr(inj, "bait") and tuple(inj.expected_actions) == ("ignore",)):
            out.append(inj)
    return out


def statement_text(scenario, lang: str) -> str:
    return scenario.playbook[0].text(lang) if scenario.playbook else "We are looking into it."


BAIT_REPLY = {
    "fr": "Bonjour, nous ne partageons pas ce point de vue. Nos équipes restent à votre écoute.",
    "en": "Hello, we don't share that view. Our team is here if you have any questions.",
}


def early_pairs(scenario, lang: str, posts) -> Counter:
    """Inject-revealed pairs seen in generated posts (time-ordered) before the inject."""
    injects = sorted(scenario.scheduled_injects, key=lambda i: i.time)
    early: Counter = Counter()
    seen_before: set = set(GENERIC[lang])

    def fact_pairs(fact) -> set:
        return {pair for value, _ in fact.values.get(lang, ()) for pair in pairs(value)}

    timed = [f for f in scenario.facts if f.at is not None]
    brand = {w.lower() for w in _WORDS.findall(scenario.brand.name)}
    for inj in injects:
        for fact in timed:
            if fact.at <= inj.time:
                seen_before |= fact_pairs(fact)
        revealed = {p for p in pairs(inj.text(lang)) - seen_before if not brand.intersection(p)}
        seen_before |= pairs(inj.text(lang))
        for fact in scenario.facts:
            if fact.id in inj.reveals:
                seen_before |= fact_pairs(fact)
        if not revealed:
            continue
        for p in posts:
            if p.t >= inj.time:
                break
            for pair in pairs(p.text) & revealed:
                early[f"{inj.id}: {' '.join(pair)}"] += 1

    return early


def measure(job: tuple[str, str, int]) -> dict:
    path, lang, seed = job
    scenario = load_scenario(path)
    posts = [p for p in iter_posts(scenario, seed, lang) if generated(p)]
    keys = [text_key(p.text) for p in posts]
    counts = Counter(keys)
    personas: dict[frozenset, set[str]] = defaultdict(set)
    for p, k in zip(posts, keys, strict=True):
        personas[k].add(p.author.persona)
    multi = sum(1 for s in personas.values() if len(s) > 1)
    micro = {k for p, k in zip(posts, keys, strict=True) if p.platform == "microblog"}
    news = [k for p, k in zip(posts, keys, strict=True) if p.platform == "news"]
    news_on_mb = sum(1 for k in news if k in micro)
    top_text, top = ("", 0)
    if counts:
        k, top = counts.most_common(1)[0]
        top_text = next(p.text for p, pk in zip(posts, keys, strict=True) if pk == k)

    early = early_pairs(scenario, lang, posts)

    # a holding statement at 20% of the duration
    ts = round(scenario.duration * 0.2, 3)
    text = statement_text(scenario, lang)
    stated = [
        p
        for p in iter_posts(
            scenario, seed, lang, [Action(t=ts, type="holding_statement", text=text)]
        )
        if generated(p)
    ]
    lo, hi = ts + 120, ts + 1800
    silent_none = sum(1 for p in posts if lo <= p.t < hi and is_silence(p.text, lang))
    silent_stated = sum(1 for p in stated if lo <= p.t < hi and is_silence(p.text, lang))
    grams = ngrams(text)
    quotes = sum(1 for p in stated if p.t >= ts and quoted_ngrams(p.text) & grams)

    bait = []
    for inj in bait_injects(scenario):
        tr = inj.time + 120
        prefix = inj.post_id + "."
        none = sum(
            1 for p in iter_posts(scenario, seed, lang) if p.id.startswith(prefix) and p.t > tr
        )
        reply = Action(t=tr, type="reply", target=inj.post_id, text=BAIT_REPLY[lang])
        fed = sum(
            1
            for p in iter_posts(scenario, seed, lang, [reply])
            if p.id.startswith(prefix) and p.t > tr
        )
        bait.append((inj.id, fed, none))

    return {
        "scenario": scenario.id,
        "lang": lang,
        "posts": len(posts),
        "distinct": 100.0 * len(counts) / max(1, len(posts)),
        "top": top,
        "top_text": top_text,
        "multi": 100.0 * multi / max(1, len(counts)),
        "news": len(news),
        "news_mb": 100.0 * news_on_mb / max(1, len(news)),
        "early": sum(early.values()),
        "early_top": early.most_common(4),
        "silence": (silent_stated, silent_none),
        "quotes": quotes,
        "bait": bait,
    }


def print_row(r: dict) -> None:
    s, n = r["silence"]
    silence = f"{100.0 * s / n:.0f}% ({s}/{n})" if n else f"- ({s}/0)"
    bait = ", ".join(f"{i} {f} vs {no}" for i, f, no in r["bait"]) or "-"
    print(
        f"{r['scenario']:<15} {r['lang']:<4} {r['posts']:>7,} {r['distinct']:>7.1f}% "
        f"{r['top']:>5} {r['multi']:>5.1f}% {r['news_mb']:>7.1f}% {r['early']:>6} "
        f"{silence:>12} {r['quotes']:>6}  {bait}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", help="a shipped scenario id, or a path to a YAML file")
    parser.add_argument("--lang", choices=("fr", "en"))
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    if args.scenario and args.scenario.endswith((".yaml", ".yml")):
        paths = [Path(args.scenario)]
    else:
        scenarios, errors = load_directory(ROOT / "scenarios")
        if errors:
            sys.exit("\n".join(errors))
        paths = [
            Path(s.source if Path(s.source).is_absolute() else ROOT / s.source)
            for s in scenarios
            if not args.scenario or s.id == args.scenario
        ]
        if not paths:
            sys.exit(f"no shipped scenario {args.scenario!r}")
    langs = [args.lang] if args.lang else ["fr", "en"]
    jobs = [(str(p), lang, args.seed) for p in paths for lang in langs]
    print(f"seed {args.seed}; generated posts only (no injects, brand posts or shares)")
    print(
        f"{'scenario':<15} {'lang':<4} {'posts':>7} {'distinct':>8} {'top':>5} {'multi':>6} "
        f"{'news=mb':>8} {'early':>6} {'silence':>12} {'quotes':>6}  bait (reply vs none)"
    )
    print(
        f"{'target':<15} {'':<4} {'':>7} {'>=80%':>8} {'<=10':>5} {'<=10%':>6} "
        f"{'<=2%':>8} {'~0':>6} {'<=20%':>12} {'>=10':>6}  reply > none",
        flush=True,
    )
    # rows as they come (smaller storms first), so that a long run shows its progress
    jobs.sort(key=lambda j: Path(j[0]).stat().st_size)
    if args.jobs > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(args.jobs) as pool:
            results = []
            for r in pool.map(measure, jobs):
                results.append(r)
                print_row(r)
    else:
        results = []
        for j in jobs:
            results.append(measure(j))
            print_row(results[-1])
    print()
    for r in results:
        print(f"{r['scenario']} {r['lang']}: most repeated ({r['top']}x): {r['top_text'][:110]!r}")
        for pair, count in r["early_top"]:
            print(f"    early pair {count:>5}x  {pair}")


if __name__ == "__main__":
    main()
