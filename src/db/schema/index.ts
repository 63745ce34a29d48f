// The one Drizzle schema: every table of the site, re-exported for the client and drizzle-kit.
export * from './accounts';
export * from './site';
export * from './files';
export * from './employers';
export * from './jobs';
export * from './seekers';
export * from './notifications';
export * from './news';
export * from './messaging';
export * from './workspace';
export * from './search';
export * from './leads';
export * from './alerts';
