// Leads for tests that start from a stored demand (the /hire form itself is tested in leads.hire.test.ts).
import type { AppContext } from '../../src/context';
import { leads } from '../../src/db/schema';
import { addDays, chinaDate } from '../../src/domain/dates';
import { uniquePhone } from './factories';

export async function insertLead(ctx: AppContext, overrides: Partial<typeof leads.$inferInsert> = {}) {
  const [lead] = await ctx.db
    .insert(leads)
    .values({
      companyName: '深圳市宏发电子有限公司',
      contactName: '王经理',
      phone: uniquePhone(),
      headcount: 50,
      category: '普工',
      district: '宝安区',
      startDate: addDays(chinaDate(new Date()), 3),
      duration: 'long',
      shift: '白班',
      payAmount: 25,
      payUnit: 'hour',
      meals: true,
      ...overrides,
    })
    .returning();
  return lead!;
}
