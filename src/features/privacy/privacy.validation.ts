// Owns the forms of the privacy pages: accepting a new policy version, and confirming account deletion.
import { z } from 'zod';

export const messages = {
  consentRequired: '请勾选同意新版《隐私政策》和《用户协议》后继续',
  passwordRequired: '请输入当前密码以确认注销',
};

export const policyConsentSchema = z.object({
  consent: z.literal('yes', { error: messages.consentRequired }),
});

export const deleteAccountSchema = z.object({
  password: z.string({ error: messages.passwordRequired }).min(1, messages.passwordRequired).max(200, messages.passwordRequired),
});
