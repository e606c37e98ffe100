// The live commit feed over EventSource (GET /registry/stream, docs/API.md "Stream").
// It remembers the last version it delivered; every (re)connection asks for `?from=<last>`, so the
// server replays what was missed. Versions at or below the last one are dropped (no duplicates); a
// version beyond last+1 is preceded by the missing records read from /registry/log (no gaps).
import { logRange } from './api.js';

const MAX_KEPT = 200;

export class LiveFeed {
  constructor() {
    this.last = null; // the last version delivered
    this.items = []; // newest last, at most MAX_KEPT: {version, committed_at, hash, changes, via}
    this.listeners = new Set();
    this.state = 'idle';
    this.attempt = 0;
    this.reconnects = 0;
    this.duplicates = 0;
    this.filled = 0;
    this.source = null;
    this.timer = null;
    this.queue = Promise.resolve();
  }

  /** Connects (a feed that ran before resumes from its own last version). */
  start() {
    if (!this.source && !this.timer) this.connect();
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = null;
    this.source?.close();
    this.source = null;
    this.setState('idle');
  }

  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Seeds a feed that has not run yet with the newest records read from the log, up to HEAD version `head`. */
  seed(records, head) {
    if (this.last !== null) return;
    this.items = records.map((r) => fromRecord(r, 'log')).slice(-MAX_KEPT);
    this.last = head;
  }

  connect() {
    this.timer = null;
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const source = new EventSource(`/registry/stream?from=${this.last}`);
    this.source = source;
    source.onopen = () => {
      this.attempt = 0;
      this.setState('live');
    };
    source.addEventListener('commit', (event) => {
      const commit = JSON.parse(event.data);
      this.enqueue(() => this.receive(commit));
    });
    source.addEventListener('lagged', () => this.drop());
    source.onerror = () => this.drop();
  }

  // The connection is gone (closed, refused, or lagged): reconnect from the last version, with backoff.
  drop() {
    if (!this.source) return;
    this.source.close();
    this.source = null;
    this.attempt++;
    this.reconnects++;
    this.setState('reconnecting');
    const delay = Math.min(5000, 250 * 2 ** Math.min(this.attempt - 1, 5));
    this.timer = setTimeout(() => this.enqueue(async () => this.connect()), delay);
  }

  enqueue(task) {
    this.queue = this.queue.then(task).catch((error) => {
      this.setState('reconnecting', String(error?.message ?? error));
    });
  }

  async receive(commit) {
    if (commit.version <= this.last) {
      this.duplicates++;
      return;
    }
    if (commit.version > this.last + 1) {
      const missing = await logRange(this.last + 1, commit.version - 1);
      for (const record of missing) {
        this.filled++;
        this.deliver(fromRecord(record, 'log'));
      }
    }
    this.deliver({ version: commit.version, committed_at: commit.committed_at, hash: commit.hash, changes: commit.changes ?? [], via: 'stream' });
  }

  deliver(item) {
    if (item.version <= this.last) {
      this.duplicates++;
      return;
    }
    this.last = item.version;
    this.items.push(item);
    if (this.items.length > MAX_KEPT) this.items.shift();
    for (const listener of this.listeners) listener({ type: 'commit', item });
  }

  setState(state, detail) {
    this.state = state;
    for (const listener of this.listeners) listener({ type: 'state', state, detail });
  }
}

function fromRecord(record, via) {
  return { version: record.version, committed_at: record.committed_at, hash: null, changes: record.proposal?.changes ?? [], via };
}

/** The one feed of this page (kept across page changes, so coming back resumes where it was). */
export const feed = new LiveFeed();
