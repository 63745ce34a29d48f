// Logs never contain passwords, full phone numbers or resume contents, whatever path a request takes.
import { maskPhonesIn } from '../src/domain/text';
import { createTestApp } from './helpers/app';
import { signedIn, TEST_PASSWORD } from './helpers/factories';
import { insertPublishedJob } from './helpers/jobFixtures';
import { samples } from './helpers/resumeFixtures';
import { download } from './helpers/unzip';

it('a signup, a failed login, a search and an error leave no password or full phone number in the log', async () => {
  const lines: string[] = [];
  const t = await createTestApp({ logStream: { write: (l: string) => void lines.push(l) } });
  try {
    const client = t.client();
    await client.post('/signup', { role: 'seeker', login: '13812345678', displayName: '隐私测试', password: 'Secret-Pass-9', passwordConfirm: 'Secret-Pass-9', consent: 'yes' });
    await t.client().post('/login', { login: '13812345678', password: 'Wrong-Secret-1' });
    await t.client().get('/jobs?q=13812345678');
    await t.client().get('/no-such-page?phone=13812345678');
    // A failing request logs the error with its context.
    await client.agent.post('/signup').type('form').send({ login: '13812345678', password: 'Secret-Pass-9' });
    const log = lines.join('\n');
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain('13812345678');
    expect(log).not.toContain('Secret-Pass-9');
    expect(log).not.toContain('Wrong-Secret-1');
    expect(log).toContain('138****5678');
  } finally {
    await t.close();
  }
});

it('a profile, a resume upload, an application, an export and a deletion leave no password, phone or resume content in the log', async () => {
  const lines: string[] = [];
  const t = await createTestApp({ logStream: { write: (l: string) => void lines.push(l) } });
  try {
    const employer = await signedIn(t, 'employer');
    const job = await insertPublishedJob(t.ctx, employer.user.id);
    const seeker = await signedIn(t, 'seeker', { login: '13923456789' });
    await seeker.client.get('/me/profile');
    await seeker.client.post('/me/profile', { realName: '日志张三', phone: '186 1111 2222', district: '宝安区', intro: '', birthYear: '1990' });
    const resumeText = 'RESUME-SECRET-CONTENT-张三-身份证';
    const pdf = Buffer.concat([samples.pdf(), Buffer.from(`\n% ${resumeText}\n`)]);
    await seeker.client.upload('/me/resumes', { title: '' }, { field: 'file', content: pdf, filename: '张三简历.pdf', contentType: 'application/pdf' });
    await seeker.client.upload(`/jobs/${job.id}/apply`, { message: '我的电话 13700009999', shareConsent: 'yes' });
    // Phone numbers in search terms, typed with separators or URL-encoded.
    await seeker.client.get(`/jobs?q=${encodeURIComponent('138 1234 5678')}`);
    await seeker.client.get('/jobs?q=138-1234-5678');
    await download(seeker.client, '/me/export');
    await seeker.client.get('/me/delete');
    await seeker.client.post('/me/delete', { password: 'Wrong-Password-7' });
    await seeker.client.post('/me/delete', { password: TEST_PASSWORD });

    const log = lines.join('\n');
    expect(log).toContain('account deleted');
    expect(log).toContain('data export');
    for (const secret of [TEST_PASSWORD, 'Wrong-Password-7', '13923456789', '18611112222', '186 1111 2222', '13700009999', '13812345678', '138%201234%205678', '138-1234-5678', resumeText, '日志张三']) {
      expect([secret, log.includes(secret)]).toEqual([secret, false]);
    }
  } finally {
    await t.close();
  }
});

it('the masker catches the ways a mobile number is written, and leaves other numbers alone', () => {
  expect(maskPhonesIn('13812345678 / 138 1234 5678 / 138-1234-5678 / +86 13812345678 / q=138%201234%205678 / q=%E7%94%B5%2013812345678')).toBe(
    '138****5678 / 138****5678 / 138****5678 / 138****5678 / q=138****5678 / q=%E7%94%B5%20138****5678',
  );
  expect(maskPhonesIn('订单 2013812345678999,座机 0755-88828155,编号 12345678901')).toBe('订单 2013812345678999,座机 0755-88828155,编号 12345678901');
});
