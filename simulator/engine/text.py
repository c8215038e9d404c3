"""What posts say: the storm's words, from a scenario's grammar (or its old-style templates).

`Writing` is the part of the storm that writes: slots the storm fills itself, quotes of the
brand, a persona's composed text as it types it, and each platform's form (a thread's title,
a review's rating, an article's headline, lede and byline).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .authors import Author
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
        """A few consecutive words of what the brand said last, as people quote them: a
        clause from its start, cut after four to nine words."""
        if not self.brand_words:
            return ""
        text = self.brand_words[-1 if rng.random() < 0.7 else rng.below(len(self.brand_words))]
        clauses = [c for c in _CLAUSE.split(_QUOTES.sub("", text)) if len(c.split()) >= 4]
        if not clauses:
            return _QUOTES.sub("", text).strip()
        words = rng.choice(clauses).split()
        n = len(words) if len(words) <= 9 else 4 + rng.below(6)
        while n > 4 and words[n - 1].lower() in _DANGLING:
            n -= 1
        return " ".join(words[:n])

    def grammar_fill(
        self,
        template: str,
        rng: Rng,
        author: Author,
        platform: str,
        sentiment: str,
        t: float,
        extra: dict | None = None,
    ) -> str:
        """A scripted text written with the grammar: its slots may be rules and facts."""
        if "{" not in template:
            return template.strip()
        alt = compiled_text(template, self._fact_names)
        phase = self._phase_index(t)
        persona = author.persona if author.persona in self._lookup else self._any_persona
        ctx = Ctx(persona, phase, self._phase_ids[phase], sentiment, platform, rng, extra)
        text = self.words.write_alt(ctx, alt)
        return text if text is not None else self.fill(template, rng, platform, t, extra)

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
        if text is None:
            return None
        voice = self._voices.get(persona)
        if voice is None or form not in _FRAMED:  # titles, headlines, ledes: as written
            return text
        if form in _FRAMED:  # openings and endings: how this persona starts and signs off
            if rng.random() < voice.openers:
                head = self.words.expand(ctx, "opener")
                if head:
                    head = head.strip()
                    text = joined(head[:1].upper() + head[1:], text, self.scenario.brand.name)
            if rng.random() < voice.endings:
                tail = self.words.expand(ctx, "ending")
                if tail:
                    text = f"{text} {finish(tail, self.lang)}"
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
        return typed(text, voice, rng, sentiment)

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
                stars = {"negative": (1, 2), "neutral": (3, 3), "positive": (4, 5)}[sentiment]
                rating = stars[0] + rng.below(stars[1] - stars[0] + 1)
                return "review", text, (("rating", rating),)
            title = self.compose(rng, persona, "forum", "title", sentiment, t)
            body = title and self.compose(rng, persona, "forum", "post", sentiment, t)
            if not title or not body:
                return None
            return "post", body, (("title", title),)
        form = {"microblog": "post", "brand_page": "comment", "internal": "message"}[platform]
        text = self.compose(rng, persona, platform, form, sentiment, t)
        return None if text is None else (kind, text, ())


_FRAMED = frozenset({"post", "reply", "comment", "message", "answer", "review", "quote"})


def joined(head: str, text: str, brand: str) -> str:
    """An opener before a text: "Franchement, je..." but "Bon. Je..." and "Bon, Bleuet..."."""
    if head[-1] in ".!?…»" or not text:
        return f"{head} {text}"
    word = text.split(" ", 1)[0]
    keep = word[:1] in '@#«"' or word.startswith(brand) or (len(word) > 1 and word[1].isupper())
    return f"{head} {text if keep else text[:1].lower() + text[1:]}"


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
