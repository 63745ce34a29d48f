// Owns column types Drizzle lacks: tsvector for the Chinese full-text index.
import { customType } from 'drizzle-orm/pg-core';

export const tsvector = customType<{ data: string; driverData: string }>({
  dataType() {
    return 'tsvector';
  },
});
