// Owns reading and changing site settings: cached in memory while the 'site_settings' generation (raised by a
// trigger in the changing transaction) is the one they were read under, so every process sees a change at once.
import { inArray, sql } from 'drizzle-orm';
import { notify, type Db, type DbHandle } from '../../db/client';
import { generationOf, generationWithin } from '../../db/generations';
import { siteSettings } from '../../db/schema';
import { ValidationError } from '../../errors';
import { recordAudit, type Actor } from '../audit/audit.service';
import { spelledOutFactErrors } from './facts';
import { defaultSettings, SETTING_KEYS, siteSettingsSchema, type SettingKey, type SiteSettings } from './settings.schema';

export const SETTINGS_CHANNEL = 'site_settings_changed';

export class SettingsStore {
  private cache: { settings: SiteSettings; generation: number } | null = null;
  private loading: { promise: Promise<SiteSettings>; generation: number } | null = null;

  constructor(
    private readonly db: Db,
    private readonly defaults: SiteSettings,
  ) {}

  /** Subscribes to changes made by other processes sharing the database (for `peek`; `get` checks the generation). */
  async watch(handle: DbHandle): Promise<void> {
    await handle.listen(SETTINGS_CHANNEL, () => this.invalidate());
  }

  invalidate(): void {
    this.cache = null;
  }

  /** The cached settings, or the defaults when none are loaded yet; never touches the database. */
  peek(): SiteSettings {
    return this.cache?.settings ?? this.defaults;
  }

  /**
   * The current settings: a read of the generations (shared by the requests of one event-loop turn), and a
   * query of the settings only after a change. `since`: see GenerationReader.read.
   */
  async get(since?: number): Promise<SiteSettings> {
    const generation = await generationOf(this.db, 'site_settings', since);
    if (this.cache && this.cache.generation === generation) return this.cache.settings;
    if (this.loading?.generation !== generation) {
      const promise = this.load(generation).finally(() => {
        if (this.loading?.promise === promise) this.loading = null;
      });
      this.loading = { promise, generation };
    }
    return this.loading.promise;
  }

  /**
   * The current settings for code inside a transaction (`get` would deadlock on PGlite there): read through
   * `tx`, and kept only if nothing newer was cached meanwhile.
   */
  async getWithin(tx: Db): Promise<SiteSettings> {
    const generation = await generationWithin(tx, 'site_settings');
    if (this.cache && this.cache.generation === generation) return this.cache.settings;
    return this.load(generation, tx);
  }

  /** Rows read after the generation: they are at least as new as the number they are kept under. */
  private async load(generation: number, db: Db = this.db): Promise<SiteSettings> {
    const rows = await db.select().from(siteSettings);
    const stored = Object.fromEntries(rows.map((r) => [r.key, r.value]));
    const merged = { ...this.defaults };
    for (const key of SETTING_KEYS) {
      // A stored value that no longer fits the schema (after an upgrade) falls back to its default.
      const parsed = siteSettingsSchema.shape[key].safeParse(stored[key]);
      if (parsed.success) (merged as Record<string, unknown>)[key] = parsed.data;
    }
    if (!this.cache || this.cache.generation <= generation) this.cache = { settings: merged, generation };
    return merged;
  }

  /** Validates and saves some settings, writing one audit entry with before/after. */
  async update(patch: Partial<SiteSettings>, actor: Actor): Promise<SiteSettings> {
    return (await this.save(patch, actor)).settings;
  }

  /**
   * Like `update`, and says which settings actually changed (none: nothing written, no audit entry).
   * A ValidationError's field keys are the settings' paths (`hotline`, `footerLinks.2.href`).
   */
  async save(patch: Partial<SiteSettings>, actor: Actor): Promise<{ settings: SiteSettings; changed: SettingKey[] }> {
    const current = await this.get();
    const candidate = siteSettingsSchema.safeParse({ ...current, ...patch });
    if (!candidate.success) {
      const fieldErrors: Record<string, string> = {};
      for (const issue of candidate.error.issues) {
        const key = issue.path.map(String).join('.');
        fieldErrors[key] ??= issue.message;
      }
      throw new ValidationError(fieldErrors);
    }
    const next = candidate.data;
    const spelledOut = spelledOutFactErrors(next, Object.keys(patch));
    if (Object.keys(spelledOut).length) throw new ValidationError(spelledOut);
    const changed = SETTING_KEYS.filter((k) => JSON.stringify(next[k]) !== JSON.stringify(current[k]));
    if (changed.length === 0) return { settings: current, changed };
    await this.db.transaction(async (tx) => {
      for (const key of changed) {
        await tx
          .insert(siteSettings)
          .values({ key, value: next[key], updatedBy: actor.id })
          .onConflictDoUpdate({ target: siteSettings.key, set: { value: next[key], updatedAt: sql`now()`, updatedBy: actor.id } });
      }
      await recordAudit(tx, actor, {
        action: 'settings.update',
        targetType: 'settings',
        targetId: changed.join(','),
        before: pick(current, changed),
        after: pick(next, changed),
      });
    });
    this.invalidate();
    await notify(this.db, SETTINGS_CHANNEL, changed.join(','));
    return { settings: await this.get(), changed };
  }

  /** Writes the defaults into an empty settings table (fresh install); never overwrites. */
  async seedDefaults(db: Db = this.db): Promise<number> {
    const existing = await db.select({ key: siteSettings.key }).from(siteSettings).where(inArray(siteSettings.key, SETTING_KEYS));
    const have = new Set(existing.map((r) => r.key));
    const missing = SETTING_KEYS.filter((k) => !have.has(k));
    if (missing.length === 0) return 0;
    await db
      .insert(siteSettings)
      .values(missing.map((key) => ({ key, value: this.defaults[key] })))
      .onConflictDoNothing();
    this.invalidate();
    return missing.length;
  }
}

function pick(s: SiteSettings, keys: SettingKey[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, s[k]]));
}

export function createSettingsStore(db: Db, overrides: { hotline?: string; siteName?: string }): SettingsStore {
  return new SettingsStore(db, defaultSettings(overrides));
}
