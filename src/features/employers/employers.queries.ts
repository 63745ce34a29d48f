// Owns the reads of company profiles.
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { employerProfiles, files } from '../../db/schema';

export type EmployerProfile = typeof employerProfiles.$inferSelect;

export async function findEmployerProfile(db: Db, userId: number): Promise<EmployerProfile | undefined> {
  const [row] = await db.select().from(employerProfiles).where(eq(employerProfiles.userId, userId));
  return row;
}

/** The stored license file of an employer, for its owner's download. */
export async function findLicenseFile(db: Db, userId: number) {
  const [row] = await db
    .select({ id: files.id, storageKey: files.storageKey, originalName: files.originalName, mime: files.mime, size: files.size })
    .from(employerProfiles)
    .innerJoin(files, eq(files.id, employerProfiles.licenseFileId))
    .where(eq(employerProfiles.userId, userId));
  return row;
}
