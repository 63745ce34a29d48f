// Unit and HTTP tests: real PostgreSQL (PGlite by default, a server when TEST_DATABASE_URL is set).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
  globalSetup: '<rootDir>/test/helpers/globalSetup.ts',
  globalTeardown: '<rootDir>/test/helpers/globalTeardown.ts',
  maxWorkers: process.env.JEST_WORKERS || 2,
  // 60 s: a hook that builds a test app takes 10+ s on a loaded 2-core machine (opening the 40 MB PGlite template).
  testTimeout: 60000,
};
