// Owns the rules of the company profile form.
import { z } from 'zod';
import { checkCreditCode } from '../../domain/creditCode';
import { contactPhone, optionalText, requiredText } from '../../web/formFields';

const messages = {
  creditCodeRequired: '请输入统一社会信用代码',
};

/** A 统一社会信用代码 as typed, normalised and checked against its check character (src/domain/creditCode.ts). */
export const creditCodeField = () =>
  z.string({ error: messages.creditCodeRequired }).transform((raw, ctx) => {
    const result = checkCreditCode(raw);
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: result.error });
      return z.NEVER;
    }
    return result.code;
  });

export const profileSchema = z.object({
  companyName: requiredText('企业名称', 2, 60),
  creditCode: creditCodeField(),
  contactName: requiredText('联系人', 1, 20),
  contactPhone: contactPhone(),
  address: requiredText('企业地址', 5, 100),
  intro: requiredText('企业简介', 10, 2000),
  licenseNo: optionalText('劳务派遣经营许可证编号', 60),
  removeLicense: z.literal('yes').optional().catch(undefined),
});

export type ProfileInput = z.infer<typeof profileSchema>;
