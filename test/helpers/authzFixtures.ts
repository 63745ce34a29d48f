// Records the authorization matrix needs ({job}, {article}, ...): each feature adds its own as it lands.
import type { TestApp } from './app';

export type AuthzFixtures = {
  job?: number;
  ownJob?: number;
  article?: number;
  slug?: string;
  resume?: number;
  application?: number;
};

/** `employerId` is the matrix's signed-in employer: `ownJob` must belong to them. */
export async function createAuthzFixtures(_t: TestApp, _employerId: number): Promise<AuthzFixtures> {
  return {};
}
