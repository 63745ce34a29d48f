// Owns the resume photo: a JPEG or PNG (checked by content on upload), re-encoded here by sharp to a small JPEG
// without its metadata (a phone photo's EXIF carries the place it was taken), and swapped in atomically.
import fsp from 'node:fs/promises';
import type sharpModule from 'sharp';
import { eq } from 'drizzle-orm';
import type { AppContext } from '../../context';
import { files, seekerProfiles, users } from '../../db/schema';
import { ValidationError } from '../../errors';
import { storeUpload } from '../../storage/store';
import { MB, type UploadedFile, type UploadRule } from '../../storage/upload';

/** Loaded at the first photo, not at start (issue 21: about 0.1 s of module loading and its native library). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sharp = (input: string) => (require('sharp') as typeof sharpModule)(input);

export const PHOTO_UPLOAD_RULE: UploadRule = {
  field: 'photo',
  maxBytes: 5 * MB,
  accept: ['jpeg', 'png'],
  sizeMessage: '照片不能超过 5MB',
  typeMessage: '照片仅支持 JPG、PNG 格式',
};

/** Big enough for a clear head-and-shoulders picture on a printed page, small enough for a phone. */
const PHOTO_WIDTH = 480;
const PHOTO_HEIGHT = 600;

const messages = {
  unreadable: '这张照片无法读取,请换一张 JPG 或 PNG 照片',
  tooSmall: '照片太小了,请上传至少 120×120 像素的照片',
};

/** Re-encodes the upload in place of its temp file; throws a ValidationError for an image sharp cannot read. */
async function normalisePhoto(upload: UploadedFile): Promise<UploadedFile> {
  const out = `${upload.tempPath}.jpg`;
  try {
    const meta = await sharp(upload.tempPath).metadata();
    if ((meta.width ?? 0) < 120 || (meta.height ?? 0) < 120) throw new ValidationError({ photo: messages.tooSmall });
    const info = await sharp(upload.tempPath)
      .rotate() // honour the EXIF orientation before the metadata is dropped
      .resize(PHOTO_WIDTH, PHOTO_HEIGHT, { fit: 'cover', position: 'attention', withoutEnlargement: true })
      .jpeg({ quality: 82, mozjpeg: true })
      .toFile(out);
    await fsp.rm(upload.tempPath, { force: true });
    return { tempPath: out, originalName: 'photo.jpg', size: info.size, type: { ...upload.type, name: 'jpeg', ext: '.jpg', mime: 'image/jpeg', label: 'JPG' } };
  } catch (err) {
    await fsp.rm(out, { force: true });
    if (err instanceof ValidationError) throw err;
    throw new ValidationError({ photo: messages.unreadable });
  }
}

/** Stores a new photo and points the profile at it; the old photo's row and bytes go. */
export async function replacePhoto(ctx: AppContext, userId: number, upload: UploadedFile): Promise<void> {
  const photo = await normalisePhoto(upload);
  const oldKey = await storeUpload(ctx.db, ctx.storage, photo, { kind: 'resume_photo', ownerId: userId }, async (tx, file) => {
    await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('no key update');
    const [old] = await tx
      .select({ id: files.id, key: files.storageKey })
      .from(seekerProfiles)
      .innerJoin(files, eq(files.id, seekerProfiles.photoFileId))
      .where(eq(seekerProfiles.userId, userId));
    const phone = (await tx.select({ phone: users.phone }).from(users).where(eq(users.id, userId)))[0]?.phone ?? '';
    await tx
      .insert(seekerProfiles)
      .values({ userId, phone, photoFileId: file.id })
      .onConflictDoUpdate({ target: seekerProfiles.userId, set: { photoFileId: file.id } });
    if (old) await tx.delete(files).where(eq(files.id, old.id));
    return old?.key;
  });
  // After the commit: a crash before this leaves an orphan the start-up sweep removes.
  if (oldKey) await ctx.storage.remove(oldKey).catch(() => {});
  // The temp file of the re-encoded photo was moved; the original temp is removed by acceptUpload.
}

export async function removePhoto(ctx: AppContext, userId: number): Promise<void> {
  const oldKey = await ctx.db.transaction(async (tx) => {
    const [old] = await tx
      .select({ id: files.id, key: files.storageKey })
      .from(seekerProfiles)
      .innerJoin(files, eq(files.id, seekerProfiles.photoFileId))
      .where(eq(seekerProfiles.userId, userId));
    if (!old) return undefined;
    await tx.update(seekerProfiles).set({ photoFileId: null }).where(eq(seekerProfiles.userId, userId));
    await tx.delete(files).where(eq(files.id, old.id));
    return old.key;
  });
  if (oldKey) await ctx.storage.remove(oldKey).catch(() => {});
}

/** The photo file of a seeker, for a download the caller has already allowed. */
export async function photoFileOf(ctx: AppContext, userId: number) {
  const [row] = await ctx.db
    .select({ storageKey: files.storageKey, originalName: files.originalName, mime: files.mime, size: files.size })
    .from(seekerProfiles)
    .innerJoin(files, eq(files.id, seekerProfiles.photoFileId))
    .where(eq(seekerProfiles.userId, userId));
  return row;
}
