"""What posts say: the storm's words, from a scenario's grammar (or its old-style templates).

`Writing` is the part of the storm that writes: slots the storm fills itself, quotes of the
brand, a persona's composed text as it types it, and each platform's form (a thread's title,
a review's rating, an article's headline, lede and byline).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .authors import Author
from .framing import FUNCTION_WORDS, fits_ending, fits_opener, rating_for, repeats, tidy
from .grammar import Ctx, compile_alt, finish
from .platforms import PLATFORMS
from .rng import Rng
from .texts import fill
from .voice import typed


class Writing:
    """The storm's writing, mixed into Storm (it reads the storm's tables and state)."""

    def fill(
        self, template: str, rng: Rng, platform: str, t: float, extra: dict | None = None
    ) -> str:
        if "{" not in template:  # most texts: nothing to fill
            return template.strip()
        phase = self._phases[self._phase_index(t)]
        lang = self.lang

        def value(name: str) -> str:
            if extra and name in extra:
                return extra[name]
            if name == "brand":
                return self.scenario.brand.name
            if name == "handle":
                return self.scenario.brand.handle(platform)
            if name == "topic":
                topics = phase.topics.get(lang) or (self.scenario.brand.name,)
                return rng.choice(topics)
            if name == "hashtag":
                tags = self._hashtags[self._phase_index(t)]
                return rng.choice(tags) if tags else ""
            if name == "mention":
                return rng.choice(self._mentions).handle
            if name == "name":
                return rng.choice(self._first_names)
            if name == "city":
                return rng.choice(self._cities)
            if name == "number":
                return str(2 + rng.below(98))
            if name in ("promise", "deadline") and self.promise is not None:
                return self.promise.words
            return "{" + name + "}"

        return fill(template, value).strip()

    def _slot(self, name: str, ctx: Ctx) -> str:
        """A slot the storm fills itself (see grammar.BUILTINS)."""
        rng = ctx.rng
        if ctx.extra and name in ctx.extra:
            return ctx.extra[name]
        if name == "brand":
            return self.scenario.brand.name
        if name == "handle":
            return self.scenario.brand.handle(ctx.platform)
        if name == "topic":
            topics = self._phases[ctx.phase].topics.get(self.lang) or (self.scenario.brand.name,)
            return rng.choice(topics)
        if name == "hashtag":
            tags = self._hashtags[ctx.phase]
            return rng.choice(tags) if tags else ""
        if name == "mention":
            return rng.choice(self._mentions).handle
        if name == "name":
            return rng.choice(self._first_names)
        if name == "city":
            return rng.choice(self._cities)
        if name == "number":
            return str(2 + rng.below(98))
        if name == "quote":
            return self.quote(rng)
        if name in ("promise", "deadline"):
            return self.promise.words if self.promise else ""
        return ""

    def quote(self, rng: Rng) -> str:
        """Words of what the brand said last, as people quote them: a whole clause (cut at its
        punctuation), or, for a long one, its start up to a clause boundary ("and", "which",
        « pour »...), never fewer than four words or a phrase cut in its middle."""
        if not self.brand_words:
            return ""
        text = self.brand_words[-1 if rng.random() < 0.7 else rng.below(len(self.brand_words))]
        return clause_quote(_QUOTES.sub("", text), rng)

    def grammar_fill(
        self,
        template: str,
        rng: Rng,
        author: Author,
        platform: str,
        sentiment: str,
        t: float,
        extra: dict | None = None,
        polish: bool = True,
    ) -> str:
        """A scripted text written with the grammar: its slots may be rules and facts;
        `polish`: punctuation and French spacing tidied (not for a trainer's own words)."""
        if "{" not in template:
            text = template.strip()
            return tidy(text, self.lang, self.common_words) if polish else text
        alt = compiled_text(template, self._fact_names)
        phase = self._phase_index(t)
        persona = author.persona if author.persona in self._lookup else self._any_persona
        ctx = Ctx(persona, phase, self._phase_ids[phase], sentiment, platform, rng, extra)
        text = self.words.write_alt(ctx, alt)
        for _ in range(2):  # the same words twice in one text: written again
            if text is None or not repeats(text):
                break
            ctx.agree = "m"
            text = self.words.write_alt(ctx, alt)
        if text is None:
            text = self.fill(template, rng, platform, t, extra)
        return tidy(text, self.lang, self.common_words) if polish else text

    def compose(
        self,
        rng: Rng,
        persona: str,
        platform: str,
        form: str,
        sentiment: str,
        t: float,
        extra: dict | None = None,
    ) -> str | None:
        """One text from a persona's grammar, as this persona types it; None: nothing fits."""
        phase = self._phase_index(t)
        ctx = Ctx(persona, phase, self._phase_ids[phase], sentiment, platform, rng, extra)
        text = self.words.write(ctx, f"{platform}.{form}")
        for _ in range(2):  # the same words twice in one text: written again
            if text is None or not repeats(text):
                break
            ctx.agree = "m"
            text = self.words.write(ctx, f"{platform}.{form}")
        if text is None:
            return None
        lang, common = self.lang, self.common_words
        voice = self._voices.get(persona)
        if voice is None or form not in _FRAMED:  # titles, headlines, ledes: as written
            return tidy(text, lang, common)
        # openings and endings: how this persona starts and signs off, where they fit
        if rng.random() < voice.openers:
            for _ in range(2):  # one that does not fit: another draw
                head = (self.words.expand(ctx, "opener") or "").strip()
                if head and fits_opener(head, text, lang):
                    text = joined(head[:1].upper() + head[1:], text, common, self.proper_names)
                    break
        if rng.random() < voice.endings:
            for _ in range(2):
                tail = self.words.expand(ctx, "ending") or ""
                if tail.strip() and fits_ending(tail, text, lang, sentiment):
                    if text[-1:].isalnum() and not _LAST_TAG.search(text):
                        text += "."
                    text = f"{text} {finish(tail, lang)}"
                    break
        if voice.signature and rng.random() < voice.signature:
            sig = self.words.expand(ctx, "signature")
            if sig:
                text = f"{text} {sig}"
        if PLATFORMS[platform].hashtags and form != "quote" and rng.random() < voice.hashtags:
            tags = self._hashtags[phase]
            if tags:
                tag = rng.choice(tags)
                if tag.lower() not in text.lower():
                    text = f"{text} {tag}"
        return typed(tidy(text, lang, common), voice, rng, sentiment)

    @property
    def common_words(self) -> frozenset[str]:
        """Every word the grammars of this scenario and language write in lowercase: a
        capitalised one of these after a comma is not a name (« Bonjour, le... »)."""
        words = self.__dict__.get("_common")
        if words is None:
            found: set[str] = set()
            for rules in (self._lookup or {}).values():
                for alts in rules.values():
                    for alt in alts:
                        for part in alt.parts:
                            if part.__class__ is str:
                                found.update(w for w in _WORD.findall(part) if w.islower())
            for values in self._fact_values.values():
                for value, _ in values:
                    found.update(w for w in _WORD.findall(value) if w.islower())
            words = self.__dict__["_common"] = frozenset(found)
        return words

    @property
    def proper_names(self) -> frozenset[str]:
        """Capitalised words that are names here: the brand's, the facts', the fixed authors',
        the storm's first names and cities, and any word the grammars capitalise in the
        middle of a sentence (« un colis Vinted », « le pull de Noël »)."""
        names = self.__dict__.get("_proper")
        if names is None:
            found: set[str] = set(_WORD.findall(self.scenario.brand.name))
            for values in self._fact_values.values():
                for value, _ in values:
                    found.update(w for w in _WORD.findall(value) if w[:1].isupper())
            for persona in self.scenario.personas:
                for a in persona.authors:
                    found.update(_WORD.findall(a.name))
            found.update(self._first_names)
            found.update(self._cities)
            for rules in (self._lookup or {}).values():
                for alts in rules.values():
                    for alt in alts:
                        for part in alt.parts:
                            if part.__class__ is str:
                                found.update(m.group(1) for m in _MID_CAPITAL.finditer(part))
            names = self.__dict__["_proper"] = frozenset(found)
        return names

    def compose_rule(
        self, rng: Rng, persona: str, platform: str, rule: str, sentiment: str, t: float
    ) -> str | None:
        """One text from any rule of a persona's grammar (a silence wave's `wave`), finished
        and typed in the persona's voice."""
        phase = self._phase_index(t)
        ctx = Ctx(persona, phase, self._phase_ids[phase], sentiment, platform, rng, None)
        text = self.words.write(ctx, rule)
        if text is None or repeats(text):
            return None
        text = tidy(text, self.lang, self.common_words)
        voice = self._voices.get(persona)
        return typed(text, voice, rng, sentiment) if voice is not None else text

    def _form_text(
        self, rng: Rng, author: Author, platform: str, kind: str, sentiment: str, t: float
    ) -> tuple[str, str, tuple] | None:
        """(kind, text, extra fields) of a root post in its platform's form, or None."""
        persona = author.persona
        if platform == "news":
            head = self.compose(rng, persona, "news", "headline", sentiment, t)
            lede = head and self.compose(rng, persona, "news", "lede", sentiment, t)
            if not head or not lede:
                return None
            sep = " " if head[-1] in ".?!…" else ". "
            extra = (("headline", head), ("lede", lede), ("byline", author.name))
            return "article", f"{head}{sep}{lede}", extra
        if platform == "forum":
            if kind == "review" and "forum.review" in self._lookup.get(persona, {}):
                text = self.compose(rng, persona, "forum", "review", sentiment, t)
                if text is None:
                    return None
                rating = rating_for(text, self.lang, sentiment, rng.random())
                return "review", text, (("rating", rating),)
            title = self.compose(rng, persona, "forum", "title", sentiment, t)
            body = title and self.compose(rng, persona, "forum", "post", sentiment, t)
            if not title or not body:
                return None
            return "post", body, (("title", title),)
        form = {"microblog": "post", "brand_page": "comment", "internal": "message"}[platform]
        text = self.compose(rng, persona, platform, form, sentiment, t)
        return None if text is None else (kind, text, ())

    def inject_form(self, rng: Rng, inject, text: str, author: Author, t: float) -> tuple:
        """An inject's extra fields in its platform's form: an article's headline, lede and
        byline, a forum thread's title, a review's stars. The scenario may write them (`title`,
        `rating`); else the headline is the text's first sentence, the title the persona's
        `forum.title` rule, the stars what the text says."""
        lang = self.lang
        title = tidy(inject.title(lang), lang) if inject.title else None
        if inject.platform == "news" and inject.kind == "article":
            head = title or first_sentence(text)
            lede = text[len(head) :].lstrip(" .:;—–-") if text.startswith(head) else text
            return (("headline", head), ("lede", lede or text), ("byline", author.name))
        if inject.platform != "forum":
            return ()
        if inject.kind == "review":
            stars = inject.rating or rating_for(text, lang, inject.sentiment, rng.random())
            return (("rating", stars),)
        if inject.kind == "post" and not inject.reply_to:
            if title is None and "forum.title" in self._lookup.get(inject.persona, {}):
                title = self.compose(rng, inject.persona, "forum", "title", inject.sentiment, t)
            return (("title", title or first_sentence(text)),)
        return ()


def first_sentence(text: str, limit: int = 90) -> str:
    """A text's first sentence (or its first words, cut at a word), as a headline."""
    m = _FIRST.search(text)
    head = text[: m.start() + (1 if m.group(0)[:1] in "?!" else 0)] if m else text
    head = head.strip()
    if len(head) > limit:
        head = head[:limit].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    return head


_FIRST = re.compile(r"[.?!](?=\s)|\s[—–]\s|\n")
_FRAMED = frozenset({"post", "reply", "comment", "message", "answer", "review", "quote"})


def joined(
    head: str, text: str, common: frozenset[str] = frozenset(), proper: frozenset[str] | None = None
) -> str:
    """An opener before a text: "Franchement, je..." but "Bon. Je..." and "Bon, Bleuet...":
    after a comma or a colon, the text's first word loses its capital only if it is a common
    word of the language (a name, a handle, "I" keep theirs)."""
    if head[-1] in ".!?…»" or not text:
        return f"{head} {text}"
    m = _WORD.match(text)
    word = m.group(0) if m else ""
    low = word.lower()
    lower = (
        bool(word)
        and word[:1].isupper()
        and word != "I"
        and not word.startswith("I'")
        and (
            low in common
            or low in FUNCTION_WORDS
            or low.split("'")[0] + "'" in _ELIDED
            or (proper is not None and word not in proper)  # not a name: a sentence's start
        )
        and not text[len(word) + 1 : len(word) + 2].isupper()  # « La Voix du Rhône »
    )
    if lower and word[1:2].isupper():  # an acronym (« HADP »)
        lower = False
    return f"{head} {text[:1].lower() + text[1:] if lower else text}"


def clause_quote(text: str, rng: Rng) -> str:
    """A quote of `text`: a whole clause of four words or more, or a long clause's start up to
    a clause boundary."""
    clauses = [c.strip(" .!?…") for c in _CLAUSE.split(text)]
    clauses = [c for c in clauses if len(c.split()) >= 4]
    if not clauses:
        return text.strip(" .!?…")
    words = rng.choice(clauses).split()
    if len(words) <= 14:
        return " ".join(words)
    cuts = [i for i in range(4, min(len(words), 15)) if words[i].lower() in _BOUNDARY]
    cuts = [i for i in cuts if words[i - 1].lower() not in _DANGLING]
    if not cuts:
        return " ".join(words)
    return " ".join(words[: rng.choice(cuts)])


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_MID_CAPITAL = re.compile(r"(?<=[a-zà-ÿ,] )([A-ZÀ-Þ][^\W\d_]+)")
_ELIDED = frozenset(("j'", "l'", "d'", "c'", "qu'", "n'", "m'", "s'", "t'"))
_LAST_TAG = re.compile(r"[#@][\w.]+$")
# words a clause may be cut before: a new clause starts there
_BOUNDARY = frozenset(
    [
        "et",
        "mais",
        "qui",
        "que",
        "qu",
        "car",
        "donc",
        "pour",
        "afin",
        "dès",
        "avant",
        "après",
        "lorsque",
        "quand",
        "si",
        "où",
        "dont",
        "puis",
        "and",
        "but",
        "which",
        "who",
        "that",
        "so",
        "because",
        "until",
        "before",
        "after",
        "when",
        "if",
        "while",
        "where",
    ]  # noqa: SIM905
)
_CLAUSE = re.compile(r"[.!?:;,()]\s+|\s+[–—]\s+|\n+")
_QUOTES = re.compile(r"[«»“”\"]")
# words a quote does not end on
_DANGLING = frozenset(
    [
        "de",
        "du",
        "des",
        "la",
        "le",
        "les",
        "à",
        "au",
        "aux",
        "et",
        "ou",
        "ni",
        "que",
        "qui",
        "pour",
        "par",
        "sur",
        "dans",
        "un",
        "une",
        "nos",
        "vos",
        "votre",
        "notre",
        "the",
        "a",
        "an",
        "and",
        "or",
        "to",
        "of",
        "for",
        "by",
        "on",
        "in",
        "with",
        "our",
        "your",
        "we",
        "you",
        "ne",
        "pas",
    ]
)


@lru_cache(maxsize=4096)
def compiled_text(template: str, facts: frozenset[str]):
    """A scripted text (a reaction's, a wave's) compiled once as a grammar alternative."""
    return compile_alt(template, facts, ("reactions",))
