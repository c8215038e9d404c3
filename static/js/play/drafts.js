// What a participant was writing (a reply, a note, a statement, a memo, a chat line) survives
// a reload: each field marked data-keep is kept in localStorage as it is typed, per post for
// the post sheet's fields, and cleared once sent.

export class Drafts {
  constructor(key, storage = globalThis.localStorage) {
    this.key = key;
    this.storage = storage;
  }

  all() {
    try { return JSON.parse(this.storage?.getItem(this.key) || "{}"); } catch { return {}; }
  }

  get(name) {
    return this.all()[name] ?? "";
  }

  set(name, value) {
    const all = this.all();
    if (value) all[name] = value; else delete all[name];
    try { this.storage?.setItem(this.key, JSON.stringify(all)); } catch { /* private mode */ }
  }
}

// Bind the fields: `scope()` names the place (e.g. the open post) a field's draft belongs to.
export function keepDrafts(drafts, fields, scope = () => "") {
  const name = (field) => `${field.dataset.keep}${field.dataset.keepPer ? `:${scope()}` : ""}`;
  for (const field of fields) {
    field.addEventListener("input", () => drafts.set(name(field), field.value));
  }
  return {
    restore() {
      for (const field of fields) {
        const value = drafts.get(name(field));
        if (value || field.dataset.keepPer) field.value = value;
      }
    },
    clear(field) {
      field.value = "";
      drafts.set(name(field), "");
    },
  };
}
