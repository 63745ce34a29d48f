// Owns news articles (人力资讯) and the per-visitor-per-day view records behind their honest counts.
import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, pgEnum, pgTable, primaryKey, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { files } from './files';

export const articleCategory = pgEnum('article_category', ['hr', 'policy', 'industry', 'company']);
export const articleStatus = pgEnum('article_status', ['draft', 'published']);

export const articles = pgTable(
  'articles',
  {
    id: serial('id').primaryKey(),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    /** Sanitised on save to the allow-list; safe to print unescaped. */
    bodyHtml: text('body_html').notNull().default(''),
    coverFileId: integer('cover_file_id').references(() => files.id, { onDelete: 'set null' }),
    coverCaption: text('cover_caption').notNull().default(''),
    category: articleCategory('category').notNull().default('hr'),
    author: text('author').notNull(),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    sourceName: text('source_name'),
    /** Unique when present, so the same source cannot be imported twice. */
    sourceUrl: text('source_url').unique(),
    originalAuthor: text('original_author'),
    originalDate: date('original_date'),
    status: articleStatus('status').notNull().default('draft'),
    viewCount: integer('view_count').notNull().default(0),
    /** Seeded demo content (the 100 sample headlines), so it can be told apart and removed. */
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('articles_published_idx').on(t.status, t.publishedAt.desc()),
    index('articles_top_idx').on(t.status, t.viewCount.desc()),
    index('articles_category_idx').on(t.category, t.status, t.publishedAt.desc()),
    // In the exact order of the reader's lists (newest first, the most read first), so a page is an index walk.
    index('articles_listed_idx').on(t.publishedAt.desc().nullsFirst(), t.id.desc().nullsFirst()).where(sql`${t.status} = 'published'`),
    index('articles_listed_top_idx').on(t.viewCount.desc().nullsFirst(), t.publishedAt.desc().nullsFirst(), t.id.desc().nullsFirst()).where(sql`${t.status} = 'published'`),
  ],
);

/** One row per visitor per article per Shanghai day; the count only moves when a row is new. */
export const articleViews = pgTable(
  'article_views',
  {
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    visitor: text('visitor').notNull(),
    day: date('day').notNull(),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.visitor, t.day] })],
);
