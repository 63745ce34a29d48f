// Logs never contain passwords or full phone numbers, whatever path a request takes.
import { createTestApp } from './helpers/app';

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
