// Owns the fast 503 while the database is down: once a database failure is seen, requests are answered 503
// at once (one probe a second decides when it is back) instead of each waiting for a connection to fail.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from '../errors';

const PROBE_INTERVAL_MS = 1000;

export class ServiceUnavailableError extends AppError {
  constructor(message = '系统正在维护或数据库暂时无法连接,请稍后再试。') {
    super(message, 503);
  }
}

export class DbGate {
  private down = false;
  private lastProbe = 0;
  private probing: Promise<boolean> | null = null;

  constructor(private readonly ping: () => Promise<void>) {}

  markDown(): void {
    this.down = true;
  }

  get isDown(): boolean {
    return this.down;
  }

  /** True when the database answers. Costs nothing while it is up. */
  async available(): Promise<boolean> {
    if (!this.down) return true;
    if (this.probing) return this.probing;
    if (Date.now() - this.lastProbe < PROBE_INTERVAL_MS) return false;
    this.lastProbe = Date.now();
    this.probing = this.ping().then(
      () => {
        this.down = false;
        return true;
      },
      () => false,
    ).finally(() => {
      this.probing = null;
    });
    return this.probing;
  }

  middleware(): RequestHandler {
    return (_req: Request, _res: Response, next: NextFunction) => {
      if (!this.down) return next();
      this.available().then((ok) => next(ok ? undefined : new ServiceUnavailableError()), next);
    };
  }
}
