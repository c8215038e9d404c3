// Actions not yet acknowledged survive a dropped connection and a reload: kept in
// localStorage and sent again with the same keys (the server stores each key once).

export class Pending {
  constructor(key, storage = globalThis.localStorage) {
    this.key = key;
    this.storage = storage;
  }

  list() {
    try { return JSON.parse(this.storage?.getItem(this.key) || "[]"); } catch { return []; }
  }

  save(list) {
    try { this.storage?.setItem(this.key, JSON.stringify(list)); } catch { /* private mode */ }
  }

  add(action) {
    this.save([...this.list(), action]);
  }

  done(key) {
    this.save(this.list().filter((a) => a.key !== key));
  }
}

export function newKey() {
  if (globalThis.crypto?.randomUUID) return globalThis.crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
