// Types that Express, Passport and express-session learn from this app.
import 'express-session';

declare global {
  namespace Express {
    /** The signed-in user as loaded by passport on each request (no password hash). */
    interface User {
      id: number;
      login: string;
      role: 'seeker' | 'employer' | 'admin' | 'consultant';
      displayName: string;
      policyVersion: string | null;
      /** Proven by an SMS code (null: none, or a number from before phone checks). */
      phoneVerified: boolean;
      emailVerified: boolean;
    }
    interface Request {
      /** Set by pino-http: the id shown on error pages and written in every log line. */
      id: string | number | object;
    }
  }
}

declare module 'express-session' {
  interface SessionData {
    flash?: { type: 'success' | 'error' | 'info'; text: string }[];
    /** Where to go after a consent page or login. */
    returnTo?: string;
    /** The device this session was started from, shown on /me/security. */
    client?: { userAgent: string; ip: string };
    /** /forgot remembers where the reset code went, for /forgot/reset. */
    resetTo?: string;
  }
}

export {};
