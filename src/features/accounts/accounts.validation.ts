// Owns the rules of the account forms (signup, login, codes, password reset and change, phone and e-mail change),
// with their Chinese messages.
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
  codeRequired: '请输入短信或邮件里的 6 位验证码',
  codeFormat: '请输入 6 位数字验证码',
  phoneRequired: '请输入手机号',
  phoneInvalid: '请输入正确的手机号(1 开头的 11 位数字)',
  emailRequired: '请输入邮箱',
  emailInvalid: '请输入正确的邮箱地址',
  currentPasswordRequired: '请输入当前密码',
  purposeInvalid: '请求无效,请刷新页面后重试',
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

/**
 * The checks of a new password against the rest of its form, shared by every form that sets one: the
 * confirmation matches, and any rule comparing the password with the login (`login`, when the form knows it).
 */
export function checkNewPassword(v: { password: string; passwordConfirm: string; login?: string }, ctx: z.RefinementCtx): void {
  if (v.password !== v.passwordConfirm) ctx.addIssue({ code: 'custom', path: ['passwordConfirm'], message: messages.passwordMismatch });
  if (v.login !== undefined) passwordNotLogin({ password: v.password, login: v.login }, ctx);
}

/** A 6-digit code as typed (full-width digits and spaces allowed). */
const code = z
  .string({ error: messages.codeRequired })
  .transform((v) => v.replace(/\s/g, ''))
  .refine((v) => v.length > 0, messages.codeRequired)
  .refine((v) => /^\d{6}$/.test(v), messages.codeFormat);

const mobile = z
  .string({ error: messages.phoneRequired })
  .min(1, messages.phoneRequired)
  .max(30, messages.phoneInvalid)
  .transform(normalizePhone)
  .refine((v) => MOBILE_RE.test(v), messages.phoneInvalid);

const email = z
  .string({ error: messages.emailRequired })
  .min(1, messages.emailRequired)
  .max(100, messages.emailInvalid)
  .transform((v) => v.trim().toLowerCase())
  .refine((v) => EMAIL_RE.test(v), messages.emailInvalid);

/** Signup proves the phone or e-mail with a code sent to it (POST /auth/code), and sets a password. */
export const signupSchema = z
  .object({
    // Only these two: a forged `role=admin` fails here, whatever the form says.
    role: z.enum(['seeker', 'employer'], { error: messages.roleInvalid }),
    login,
    code,
    password,
    passwordConfirm: z.string({ error: messages.passwordMismatch }),
    displayName: z.string({ error: messages.nameRequired }).trim().min(1, messages.nameRequired).max(30, messages.nameLength),
    consent: z.literal('yes', { error: messages.consentRequired }),
  })
  .superRefine(checkNewPassword);

export type SignupInput = z.infer<typeof signupSchema>;

export const loginSchema = z.object({
  login: z.string({ error: messages.loginRequired }).min(1, messages.loginRequired).max(100, messages.loginInvalid),
  password: z.string({ error: messages.passwordRequired }).min(1, messages.passwordRequired).max(128, messages.passwordLength),
});

export const codeLoginSchema = z.object({ login, code });

/** `npm run admin:create`: a login and a password typed twice (no code: the operator runs it on the server). */
export const adminCreateSchema = z
  .object({ login, password, passwordConfirm: z.string({ error: messages.passwordMismatch }) })
  .superRefine(checkNewPassword);

/** An admin makes a consultant (顾问) account at /admin/users/new: the consultant signs in with it and may change the password. */
export const consultantCreateSchema = z
  .object({
    login,
    displayName: z.string({ error: messages.nameRequired }).trim().min(1, messages.nameRequired).max(30, messages.nameLength),
    password,
    passwordConfirm: z.string({ error: messages.passwordMismatch }),
  })
  .superRefine(checkNewPassword);

export const forgotSchema = z.object({ login });

export const resetSchema = z
  .object({ login, code, password, passwordConfirm: z.string({ error: messages.passwordMismatch }) })
  .superRefine(checkNewPassword);

/** Changing the password asks for the current one, unless the account has none yet (made by quick apply). */
export function changePasswordSchema(account: { login: string; hasPassword: boolean }) {
  return z
    .object({
      currentPassword: account.hasPassword
        ? z.string({ error: messages.currentPasswordRequired }).min(1, messages.currentPasswordRequired).max(128, messages.passwordLength)
        : z.string().optional(),
      password,
      passwordConfirm: z.string({ error: messages.passwordMismatch }),
    })
    .superRefine((v, ctx) => checkNewPassword({ ...v, login: account.login }, ctx));
}

export const phoneChangeSchema = z.object({ phone: mobile, code });
export const emailChangeSchema = z.object({ email, code });

/** POST /auth/code: which flow asks, and the phone or e-mail (in the field that flow's form names it). */
export const codeRequestSchema = z.object({
  purpose: z.enum(['signup', 'login', 'reset', 'change_phone', 'change_email'], { error: messages.purposeInvalid }),
});
export const recipientSchemas = { login, phone: mobile, email } as const;

/** For other features' forms that take a phone and its code (quick apply). */
export { code as codeField, mobile as mobileField };
