// Rate limits come from the environment (RATE_LIMIT_*), so a load test raises them by configuration, not by code.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { boot } from '../src/bootstrap';
import { ConfigError, parseConfig } from '../src/config';
import { DEFAULT_LIMITS } from '../src/context';
import { createLogger } from '../src/logger';
import { createTestDbHandle } from './helpers/db';

describe('rate limits from the environment', () => {
  it('a RATE_LIMIT_* setting replaces that one default; the others stay', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plw-limits-'));
    const config = parseConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, SEED_DEMO: 'false', RATE_LIMIT_APPLY_PER_IP: '5000', RATE_LIMIT_LOGIN_PER_ACCOUNT: '7' });
    expect(config.limits).toEqual({ applyPerIp: 5000, loginPerAccount: 7 });
    const dbHandle = await createTestDbHandle();
    try {
      const { ctx } = await boot(config, createLogger('silent'), { dbHandle, migrate: false, seed: false });
      expect(ctx.limits).toEqual({ ...DEFAULT_LIMITS, applyPerIp: 5000, loginPerAccount: 7 });
    } finally {
      await dbHandle.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a limit that is not a positive whole number stops start-up with the setting named', () => {
    for (const bad of ['0', '-1', 'many', '1.5']) {
      expect(() => parseConfig({ RATE_LIMIT_SIGNUP_PER_IP: bad })).toThrow(ConfigError);
      expect(() => parseConfig({ RATE_LIMIT_SIGNUP_PER_IP: bad })).toThrow(/RATE_LIMIT_SIGNUP_PER_IP/);
    }
  });
});
