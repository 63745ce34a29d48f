// Owns sharing one database read among the requests that ask for it at about the same time (issue 21): the change
// generations every page needs, the rows of the job pages drawn for anonymous readers.
/** One read to come, and the keys asked of it so far. */
type Batch<K, R> = { keys: Set<K>; promise: Promise<R>; resolve: (r: R) => void; reject: (err: unknown) => void };

/**
 * Reads shared by every caller that asks while the previous read is out: at most one read is in flight, and the
 * next one leaves when it returns, carrying the keys of all who asked meanwhile. Under load that is one query for
 * many requests; when idle, one query each, sent at the end of the current event-loop turn.
 *
 * A caller gets the result of a read that is sent after its call, so every change committed before the call is in
 * it: joining a read that is already on its way to the database would not give that.
 */
export class SharedReads<K, R> {
  private next: Batch<K, R> | null = null;
  private inFlight = false;
  /** The last read sent: when (`performance.now()`) and its result. */
  lastSent: { at: number; promise: Promise<R> } | null = null;

  constructor(private readonly readAll: (keys: K[]) => Promise<R>) {}

  read(key?: K): Promise<R> {
    if (!this.next) {
      let resolve!: Batch<K, R>['resolve'];
      let reject!: Batch<K, R>['reject'];
      const promise = new Promise<R>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.next = { keys: new Set(), promise, resolve, reject };
      if (!this.inFlight) setImmediate(() => this.send());
    }
    if (key !== undefined) this.next.keys.add(key);
    return this.next.promise;
  }

  private send(): void {
    const batch = this.next;
    if (!batch || this.inFlight) return;
    // From here on, a new caller waits for the next read: this one may already miss its changes.
    this.next = null;
    this.inFlight = true;
    this.lastSent = { at: performance.now(), promise: batch.promise };
    // A read that throws synchronously rejects its batch like one that fails.
    Promise.resolve()
      .then(() => this.readAll([...batch.keys]))
      .then(batch.resolve, batch.reject)
      .finally(() => {
        this.inFlight = false;
        if (this.next) this.send();
      });
  }
}
