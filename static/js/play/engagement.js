// Likes and views: the crowd's quiet reactions, counted on the post as platforms show them.
//
// The storm models every post, share and reply; nobody writes a post to like another, so likes
// and views are read from what the storm does model: a post's shares and replies (which grow
// live), its author's reach, and a per-post spread drawn from the post's id (the same post
// shows the same figures on every screen and after a reload). Pure: no DOM.
//
// Which platforms show what, as the real ones do: the microblog shows likes and views, the
// brand's page shows reactions, a forum thread shows its views; news and the internal channel
// show neither.

const SHOWN = {
  microblog: { likes: true, views: true },
  brand_page: { likes: true, views: false },
  forum: { likes: false, views: true },
};

// FNV-1a, 32 bits: a stable spread per post id
function spread(id) {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i += 1) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return [(h & 0xffff) / 0x10000, (h >>> 16) / 0x10000];
}

// { likes, views } of `post` given its shares and replies so far; null where its platform
// shows no such counter.
export function engagement(post, { shares = 0, replies = 0 } = {}) {
  const shown = SHOWN[post.platform];
  if (!shown || post.kind === "share") return { likes: null, views: null };
  const [a, b] = spread(String(post.id));
  // a big account's post is liked by a few per thousand of its followers before anyone shares it
  const followers = Math.max(0, post.author?.followers || 0);
  const likes = Math.round(shares * (3 + 7 * a) + replies * (0.5 + b) + followers * 0.005 * b);
  let views = null;
  if (shown.views && post.platform === "microblog") {
    views = Math.round(likes * (15 + 20 * b) + shares * 150 + replies * 40 + followers * (0.02 + 0.08 * a));
  } else if (shown.views && !post.parent && post.kind !== "review") {
    views = Math.round(20 + 40 * a + replies * (15 + 25 * b) + shares * 30);
  }
  return { likes: shown.likes ? likes : null, views };
}
