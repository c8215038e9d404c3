"""The radar's rising terms are what a listening tool would chart: words, not handles or fillers."""

from simulator.radar import Minute, _terms, radar


def test_terms_keep_their_accents_and_drop_handles_elisions_and_fillers():
    text = (
        "@jules_riou Bonjour, l'autorité de protection des données est saisie "
        "depuis ce matin ! https://exemple.fr/x #FuiteBleuet"
    )
    assert _terms(text) == {"autorité", "protection", "données", "saisie", "#fuitebleuet"}
    assert _terms("What's going on? There's a class action, honestly.") == {"class", "action"}
    assert _terms("RT @bleuet_banque: n'importe quoi") == {"importe"}


def test_rising_terms_are_the_ones_used_more_now():
    posts = []
    for minute in range(15):
        word = "remboursement" if minute >= 12 else "attente"
        for k in range(4):
            posts.append(
                {
                    "id": f"p{minute}-{k}",
                    "t": minute * 60.0 + k,
                    "platform": "microblog",
                    "kind": "post",
                    "author": {
                        "handle": f"@someone{k}",
                        "name": f"Someone {k}",
                        "persona": "customer",
                        "followers": 10,
                        "verified": False,
                    },
                    "text": f"@someone{k} Toujours rien pour le {word} aujourd'hui",
                    "sentiment": "negative",
                }
            )
    buckets: dict[int, Minute] = {}
    for post in posts:
        buckets.setdefault(int(post["t"] // 60), Minute(int(post["t"] // 60))).add(post, ())
    rising = [r["term"] for r in radar(buckets, 14 * 60 + 30, ["microblog"])["rising"]]
    assert rising[0] == "remboursement"
    assert not any(t.startswith("someone") or t in ("toujours", "aujourd") for t in rising)
