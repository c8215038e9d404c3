// The participant page's pure parts, without a browser: node --test tests/js/
import assert from "node:assert/strict";
import { test } from "node:test";

import { Drafts } from "../../static/js/play/drafts.js";
import { Pending } from "../../static/js/play/pending.js";
import {
  addPosts, applyAction, applyCounts, batchStep, createState, parseClock, passes, queue,
} from "../../static/js/play/state.js";

const author = { name: "Léa Martin", handle: "@lea", followers: 10, verified: false, persona: "customer" };
const post = (id, t, extra = {}) => ({ id, t, platform: "microblog", kind: "post", author, text: `texte ${id}`, parent: null, inject: null, sentiment: "neutral", ...extra });
let n = 0;
const action = (type, target, extra = {}) => ({ id: ++n, seq: n, type, target, status: "done", by: { id: 1, name: "Ana" }, ...extra });

class Memory {
  constructor() { this.items = new Map(); }
  getItem(k) { return this.items.get(k) ?? null; }
  setItem(k, v) { this.items.set(k, String(v)); }
}

test("a batch is applied once, in order; a gap asks for a resync", () => {
  assert.equal(batchStep(null, 1), "wait");
  assert.equal(batchStep(3, 4), "apply");
  assert.equal(batchStep(3, 3), "skip");
  assert.equal(batchStep(3, 2), "skip");
  assert.equal(batchStep(3, 5), "resync");
});

test("posts are kept once, threads are linked, key posts are marked", () => {
  const state = createState();
  const fresh = addPosts(state, [post("m1", 1), post("m1.1", 2, { parent: "m1" }), post("i-x", 3, { inject: "x" })]);
  assert.deepEqual(fresh.map((p) => p.id), ["m1", "m1.1", "i-x"]);
  assert.deepEqual(addPosts(state, [post("m1", 1)]), []);
  assert.deepEqual(state.children.get("m1"), ["m1.1"]);
  assert.ok(state.key.has("i-x"));
  assert.ok(!state.key.has("m1"));
  addPosts(state, [post("c-c4", 4)]);
  assert.ok(state.key.has("c-c4")); // a trainer's curveball
});

test("counters and totals come from the server and say what changed", () => {
  const state = createState();
  assert.deepEqual(applyCounts(state, { m1: [3, 1], m2: [0, 2] }, { microblog: 40 }), ["m1", "m2"]);
  assert.deepEqual(applyCounts(state, { m1: [3, 1], m2: [0, 3] }), ["m2"]);
  assert.deepEqual(state.counts.get("m2"), [0, 3]);
  assert.deepEqual(state.totals, { microblog: 40 }); // kept when a payload has none
});

test("the queue: untriaged injects and posts marked 'handle', oldest first, until answered", () => {
  const state = createState();
  addPosts(state, [post("i-b", 20, { inject: "b" }), post("i-a", 10, { inject: "a" }), post("m5", 5), post("i-c", 30, { inject: "c" })]);
  assert.deepEqual(queue(state).map((p) => p.id), ["i-a", "i-b", "i-c"]);
  applyAction(state, action("tag", "i-a", { tag: "watch" })); // triaged: out
  applyAction(state, action("tag", "m5", { tag: "handle" })); // marked: in
  assert.deepEqual(queue(state).map((p) => p.id), ["m5", "i-b", "i-c"]);
  applyAction(state, action("reply", "m5", { status: "draft" })); // a draft is not an answer
  assert.ok(queue(state).some((p) => p.id === "m5"));
  applyAction(state, action("dm", "m5")); // answered: out
  applyAction(state, action("escalate", "i-b", { role: "legal", severity: 3 }));
  assert.deepEqual(queue(state).map((p) => p.id), ["i-c"]);
  applyAction(state, action("tag", "i-c", { tag: "handle" })); // marked again after nothing: stays
  assert.deepEqual(queue(state).map((p) => p.id), ["i-c"]);
});

test("a private message leaves a trace on its post; a decided draft keeps its new status", () => {
  const state = createState();
  addPosts(state, [post("m1", 1)]);
  const dm = action("dm", "m1", { text: "Écrivez-nous" });
  applyAction(state, dm);
  assert.deepEqual(state.answers.get("m1").map((a) => a.text), ["Écrivez-nous"]);
  assert.ok(state.handled.has("m1"));
  const draft = action("reply", "m1", { status: "draft" });
  assert.equal(applyAction(state, draft), true);
  assert.equal(applyAction(state, { ...draft, status: "approved" }), "status");
  assert.equal(state.actions.get(draft.id).status, "approved");
  assert.equal(applyAction(state, { ...draft, status: "approved" }), false);
});

test("filters: words anywhere in author or text, accents and case ignored; tone; unhandled", () => {
  const p = post("m1", 1, { text: "Fuite de données confirmée", sentiment: "negative" });
  assert.ok(passes(p, { text: "DONNEES lea" }, new Set()));
  assert.ok(!passes(p, { text: "donnees paul" }, new Set()));
  assert.ok(!passes(p, { sentiment: "positive" }, new Set()));
  assert.ok(!passes(p, { unhandled: true }, new Set(["m1"])));
});

test("times of a search: h:mm or minutes", () => {
  assert.equal(parseClock(""), null);
  assert.equal(parseClock("20"), 1200);
  assert.equal(parseClock("1:05"), 3900);
  assert.ok(Number.isNaN(parseClock("midi")));
});

test("pending actions and drafts survive a reload (kept in storage)", () => {
  const storage = new Memory();
  const pending = new Pending("p", storage);
  pending.add({ key: "k1", type: "memo" });
  pending.add({ key: "k2", type: "chat" });
  pending.done("k1");
  assert.deepEqual(new Pending("p", storage).list().map((a) => a.key), ["k2"]);
  const drafts = new Drafts("d", storage);
  drafts.set("memo", "Point à 14h");
  drafts.set("reply:m1", "Bonjour");
  drafts.set("reply:m1", "");
  assert.deepEqual(new Drafts("d", storage).all(), { memo: "Point à 14h" });
});
