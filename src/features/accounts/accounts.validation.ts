// Owns the rules of the signup and login forms, with their Chinese messages.
import { z } from 'zod';
import { passwordMessages, passwordProblem } from '../../domain/passwords';
import { EMAIL_RE, MOBILE_RE, normalizePhone } from '../../domain/text';

const messages = {
  loginRequired: '请输入手机号或邮箱',
  loginInvalid: '请输入正确的手机号(1 开头的 11 位数字)或邮箱',
  passwordLength: passwordMessages.length,
  passwordMismatch: '两次输入的密码不一致',
  nameRequired: '请输入姓名或昵称',
  nameLength: '姓名或昵称不能超过 30 个字',
  roleInvalid: '请选择注册身份:求职者或企业',
  consentRequired: '请阅读并同意《隐私政策》和《用户协议》',
  passwordRequired: '请输入密码',
};

/** A login is stored normalised: mobile numbers as 11 digits, emails lower-cased. */
export function normalizeLogin(raw: string): string {
  const value = raw.trim();
  if (value.includes('@')) return value.toLowerCase();
  return normalizePhone(value);
}

const login = z
  .string({ error: messages.loginRequired })
  .min(1, messages.loginRequired)
  .max(100, messages.loginInvalid)
  .transform(normalizeLogin)
  .refine((v) => MOBILE_RE.test(v) || (EMAIL_RE.test(v) && v.length <= 100), messages.loginInvalid);

/**
 * A new password (signup, admin creation; reset and change reuse it): the policy of src/domain/passwords.ts,
 * whose Chinese reason is shown beside the field. A form that also has the login adds
 * `.superRefine(passwordNotLogin)`; a flow that knows the account's login otherwise calls
 * `passwordProblem(password, login)` itself and throws ValidationError({ password: problem }).
 */
const password = z.string({ error: messages.passwordLength }).superRefine((value, ctx) => {
  const problem = passwordProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
export { password as newPasswordField };

/** On an object with `password` and `login`: refuses a password equal to the login, beside the password field. */
export function passwordNotLogin(value: { password: string; login: string }, ctx: z.RefinementCtx): void {
  const problem = passwordProblem(value.password, value.login);
  if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
}

export const signupSchema = z
  .object({
    // Only these two: a forged `role=admin` fails here, whatever the form says.
    role: z.enum(['seeker', 'employer'], { error: messages.roleInvalid }),
    login,
    password,
    passwordConfirm: z.string({ error: messages.passwordMismatch }),
    displayName: z.string({ error: messages.nameRequired }).trim().min(1, messages.nameRequired).max(30, messages.nameLength),
    consent: z.literal('yes', { error: messages.consentRequired }),
  })
  .refine((v) => v.password === v.passwordConfirm, { path: ['passwordConfirm'], message: messages.passwordMismatch })
  .superRefine(passwordNotLogin);

export type SignupInput = z.infer<typeof signupSchema>;

export const loginSchema = z.object({
  login: z.string({ error: messages.loginRequired }).min(1, messages.loginRequired).max(100, messages.loginInvalid),
  password: z.string({ error: messages.passwordRequired }).min(1, messages.passwordRequired).max(128, messages.passwordLength),
});
