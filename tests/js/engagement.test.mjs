// Likes and views as platforms show them, read from the storm's shares and replies.
import assert from "node:assert/strict";
import { test } from "node:test";

import { engagement } from "../../static/js/play/engagement.js";

const author = { followers: 2500 };
const post = (id, platform, extra = {}) => ({ id, platform, kind: "post", parent: null, author, ...extra });

test("the same post shows the same figures everywhere", () => {
  const p = post("t12.3", "microblog");
  assert.deepEqual(engagement(p, { shares: 40, replies: 7 }), engagement({ ...p }, { shares: 40, replies: 7 }));
});

test("likes and views grow with the crowd's shares and replies", () => {
  const p = post("t4", "microblog");
  let last = engagement(p, { shares: 0, replies: 0 });
  for (const [shares, replies] of [[1, 0], [5, 2], [60, 9], [900, 40]]) {
    const now = engagement(p, { shares, replies });
    assert.ok(now.likes > last.likes && now.views > last.views, JSON.stringify({ last, now }));
    assert.ok(now.views > now.likes);
    last = now;
  }
  assert.ok(last.likes >= 900 * 3, "a post shared 900 times is liked thousands of times");
});

test("each platform shows its own counters", () => {
  const counts = { shares: 10, replies: 4 };
  assert.deepEqual(Object.keys(engagement(post("a", "microblog"), counts)), ["likes", "views"]);
  assert.equal(engagement(post("a", "brand_page"), counts).views, null);
  assert.ok(engagement(post("a", "brand_page"), counts).likes > 0);
  assert.equal(engagement(post("a", "forum"), counts).likes, null);
  assert.ok(engagement(post("a", "forum"), counts).views > 0);
  assert.equal(engagement(post("a.1", "forum", { parent: "a", kind: "reply" }), counts).views, null);
  assert.deepEqual(engagement(post("a", "news"), counts), { likes: null, views: null });
  assert.deepEqual(engagement(post("a", "internal"), counts), { likes: null, views: null });
  assert.deepEqual(engagement(post("a.2", "microblog", { kind: "share" }), counts), { likes: null, views: null });
});

test("posts differ from one another", () => {
  const counts = { shares: 20, replies: 3 };
  const likes = new Set(Array.from({ length: 30 }, (_, i) => engagement(post(`p${i}`, "microblog"), counts).likes));
  assert.ok(likes.size > 10, [...likes].join(","));
});

test("a big account is liked and seen before anyone shares it; a review shows no views", () => {
  const big = { ...post("b1", "microblog"), author: { followers: 145000 } };
  const seen = engagement(big, { shares: 0, replies: 0 });
  const small = engagement({ ...big, author: { followers: 300 } }, { shares: 0, replies: 0 });
  assert.ok(seen.views > 145000 * 0.015 && seen.views > small.views * 50, JSON.stringify({ seen, small }));
  assert.equal(engagement(post("r1", "forum", { kind: "review" }), { shares: 3, replies: 2 }).views, null);
});
