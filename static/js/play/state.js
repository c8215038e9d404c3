// The participant's workspace as data: posts, counters, what the team did, the "to handle"
// queue. Pure: no DOM, no socket (tested with node --test in tests/js).

export const MAX_POSTS = 30000;
const ANSWERS = new Set(["reply", "dm", "hide", "delete", "escalate"]);

export function createState() {
  return {
    lastSeq: null,
    posts: new Map(), // id -> post (capped at MAX_POSTS, the key posts always kept)
    children: new Map(), // parent id -> [child ids]
    counts: new Map(), // post id -> [shares, replies]: the whole storm's, from the server
    totals: {}, // platform -> posts of the team's world
    key: new Set(), // inject posts and curveballs
    tags: new Map(), // post id -> {tag, by, seq}
    escalations: new Map(), // post id -> [action]
    answers: new Map(), // post id -> [reply, dm, hide, delete actions] (drafts included)
    handled: new Set(), // post ids the team tagged, escalated, answered or removed
    actions: new Map(), // action id -> action
    open: null, // the post shown in the post sheet
  };
}

export function isKey(post) {
  return Boolean(post.inject) || post.id.startsWith("c-");
}

// Keep posts (from a batch, a snapshot, a page or a search); returns those new to the state.
export function addPosts(state, posts) {
  const fresh = [];
  for (const p of posts) {
    if (state.posts.has(p.id)) continue;
    state.posts.set(p.id, p);
    fresh.push(p);
    if (isKey(p)) state.key.add(p.id);
    if (p.parent) {
      if (!state.children.has(p.parent)) state.children.set(p.parent, []);
      state.children.get(p.parent).push(p.id);
    }
  }
  for (const id of state.posts.keys()) {
    if (state.posts.size <= MAX_POSTS) break;
    if (!state.key.has(id) && id !== state.open) state.posts.delete(id);
  }
  return fresh;
}

// Counters and totals sent with a batch, a `counts` event, a snapshot or a page.
export function applyCounts(state, counts = {}, totals = null) {
  const changed = [];
  for (const [id, value] of Object.entries(counts)) {
    const old = state.counts.get(id);
    if (!old || old[0] !== value[0] || old[1] !== value[1]) {
      state.counts.set(id, [value[0], value[1]]);
      changed.push(id);
    }
  }
  if (totals) state.totals = { ...totals };
  return changed;
}

export function countsOf(state, id) {
  const [shares, replies] = state.counts.get(id) || [0, 0];
  return { shares, replies };
}

// What the sequence number of a batch asks for: apply it, skip it, ask for the missing ones,
// or wait for the snapshot.
export function batchStep(lastSeq, seq) {
  if (lastSeq === null) return "wait";
  if (seq <= lastSeq) return "skip";
  if (seq > lastSeq + 1) return "resync";
  return "apply";
}

export function resetActions(state) {
  state.tags.clear();
  state.escalations.clear();
  state.answers.clear();
  state.handled.clear();
  state.actions.clear();
}

// Apply one action of the team to the state. Returns false if it was already applied, or
// "status" for a draft pushed again once decided (its new status is kept).
export function applyAction(state, action) {
  const known = state.actions.get(action.id);
  if (known) {
    if (known.status === action.status) return false;
    known.status = action.status;
    if (known.target && action.status === "approved") state.handled.add(known.target);
    return "status";
  }
  state.actions.set(action.id, action);
  const target = action.target;
  if (action.type === "tag" && target) {
    state.tags.set(target, { tag: action.tag, by: action.by.name, seq: action.seq });
    state.handled.add(target);
  } else if (action.type === "escalate" && target) {
    push(state.escalations, target, action);
    state.handled.add(target);
  } else if (["reply", "dm", "hide", "delete"].includes(action.type) && target) {
    if (!(action.draft && action.status === "done")) push(state.answers, target, action);
    if (action.status !== "draft") state.handled.add(target);
  } else if (action.type === "approve" || action.type === "reject") {
    const draft = state.actions.get(action.draft);
    if (draft) draft.status = action.type === "approve" ? "approved" : "rejected";
    if (draft && action.type === "approve" && draft.target) state.handled.add(draft.target);
  }
  return true;
}

function push(map, key, value) {
  if (!map.has(key)) map.set(key, []);
  map.get(key).push(value);
}

// The "to handle" queue, oldest first: posts the team marked "handle" and has not answered
// since, and inject posts (and curveballs) nobody has triaged yet.
export function queue(state) {
  const items = [];
  const ids = new Set([...state.key, ...state.tags.keys()]);
  for (const id of ids) {
    const post = state.posts.get(id);
    if (!post) continue;
    const tag = state.tags.get(id);
    const answered = [...(state.answers.get(id) || []), ...(state.escalations.get(id) || [])]
      .some((a) => ANSWERS.has(a.type) && a.status !== "draft" && a.status !== "rejected"
        && (!tag || a.seq > tag.seq));
    const marked = tag?.tag === "handle";
    if (answered) continue;
    if (marked || (state.key.has(id) && !tag)) items.push(post);
  }
  return items.sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : 1));
}

// The local filters of the columns: words, tone, not yet handled.
export function passes(post, filters, handled) {
  if (filters.sentiment && post.sentiment !== filters.sentiment) return false;
  if (filters.unhandled && handled.has(post.id)) return false;
  if (filters.text) {
    const hay = fold(`${post.text} ${post.author.name} ${post.author.handle}`);
    if (!fold(filters.text).split(/\s+/).every((w) => hay.includes(w))) return false;
  }
  return true;
}

export function fold(text) {
  return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
}

// "12:30" or "75" (minutes) -> simulated seconds; "" -> null; anything else -> NaN.
export function parseClock(text) {
  const value = (text || "").trim();
  if (!value) return null;
  const m = /^(\d{1,3})(?::(\d{1,2}))?$/.exec(value);
  if (!m) return Number.NaN;
  return m[2] === undefined ? Number(m[1]) * 60 : Number(m[1]) * 3600 + Number(m[2]) * 60;
}
