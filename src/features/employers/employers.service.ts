// Owns the company profile: saving it (with its optional license file), and what changes with it:
// a verified company that changes its name or credit code must be verified again.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { employerProfiles, files } from '../../db/schema';
import { ValidationError } from '../../errors';
import type { FileStorage } from '../../storage/files';
import { storeUpload } from '../../storage/store';
import type { UploadedFile } from '../../storage/upload';
import { reindexEmployerJobs, type ScreenLists } from '../jobs/jobs.service';
import { findFeeWords } from '../jobs/jobs.screening';
import type { ProfileInput } from './employers.validation';

const messages = {
  feeInIntro: (words: string[]) => `企业简介含有向求职者收费的内容:「${words.join('」「')}」,请删除`,
};

export type SaveProfileResult = { created: boolean; verificationReset: boolean };

/**
 * Creates or updates the profile. A new license file replaces the old one (whose bytes are removed after
 * the commit); `removeLicense` drops it. Everything is one transaction with the file row.
 */
export async function saveEmployerProfile(
  db: Db,
  storage: FileStorage,
  lists: ScreenLists,
  userId: number,
  input: ProfileInput,
  upload: UploadedFile | undefined,
): Promise<SaveProfileResult> {
  const fees = findFeeWords(input.intro, lists.feeWords);
  if (fees.length) throw new ValidationError({ intro: messages.feeInIntro(fees) });

  let oldKey: string | undefined;
  const write = async (tx: Db, newFileId: number | null): Promise<SaveProfileResult> => {
    const [existing] = await tx.select().from(employerProfiles).where(eq(employerProfiles.userId, userId)).for('update');
    const replaceFile = newFileId !== null || input.removeLicense === 'yes';
    const licenseFileId = replaceFile ? newFileId : (existing?.licenseFileId ?? null);
    const identityChanged = !!existing && (existing.companyName !== input.companyName || existing.creditCode !== input.creditCode);
    const verificationReset = identityChanged && !!existing?.verifiedAt;
    const values = {
      companyName: input.companyName,
      creditCode: input.creditCode,
      contactName: input.contactName,
      contactPhone: input.contactPhone,
      address: input.address,
      intro: input.intro,
      licenseNo: input.licenseNo || null,
      licenseFileId,
      updatedAt: sql`now()`,
      ...(verificationReset ? { verifiedAt: null, verifiedBy: null } : {}),
    };
    if (existing) await tx.update(employerProfiles).set(values).where(eq(employerProfiles.userId, userId));
    else await tx.insert(employerProfiles).values({ userId, ...values });
    if (replaceFile && existing?.licenseFileId) {
      const [old] = await tx.delete(files).where(eq(files.id, existing.licenseFileId)).returning({ key: files.storageKey });
      oldKey = old?.key;
    }
    if (!existing || existing.companyName !== input.companyName) await reindexEmployerJobs(tx, userId, input.companyName);
    return { created: !existing, verificationReset };
  };

  const result = upload
    ? await storeUpload(db, storage, upload, { kind: 'license', ownerId: userId }, (tx, file) => write(tx, file.id))
    : await db.transaction((tx) => write(tx, null));
  if (oldKey) await storage.remove(oldKey).catch(() => {});
  return result;
}
