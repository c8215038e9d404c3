// The session clock on the client: extrapolated from the last clock message the server sent,
// measured against this page's own monotonic clock (so a skewed device clock does not matter).

export class SessionClock {
  constructor() {
    this.set({ status: "lobby", speed: 1, sim: 0, end: 0 });
  }

  set(payload) {
    this.status = payload.status;
    this.speed = payload.speed;
    this.sim = payload.sim;
    this.end = payload.end ?? this.end;
    this.receivedAt = performance.now();
  }

  now() {
    if (this.status !== "running") return this.sim;
    const elapsed = (performance.now() - this.receivedAt) / 1000;
    return Math.min(this.end || Infinity, this.sim + elapsed * this.speed);
  }
}

export function hms(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n) => String(n).padStart(2, "0");
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}
