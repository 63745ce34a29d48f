// Owns the record of every uploaded file; the bytes live under UPLOAD_DIR at `storageKey`.
import { index, integer, pgEnum, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './accounts';

export const fileKind = pgEnum('file_kind', ['resume', 'license', 'news_cover', 'news_image', 'resume_photo']);

export const files = pgTable(
  'files',
  {
    id: serial('id').primaryKey(),
    kind: fileKind('kind').notNull(),
    /** Server-generated relative path under UPLOAD_DIR; never derived from the client's file name. */
    storageKey: text('storage_key').notNull().unique(),
    /** Rows cascade away with their owner; the bytes left behind are removed by the start-up sweep. */
    ownerId: integer('owner_id').references(() => users.id, { onDelete: 'cascade' }),
    originalName: text('original_name').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('files_owner_idx').on(t.ownerId)],
);
