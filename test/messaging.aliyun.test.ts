// SMS through Alibaba Cloud SMS (SendSms 2017-05-25, signature V3 ACS3-HMAC-SHA256). The signer is checked against
// the published examples; the driver against a local HTTP server that verifies every request's signature with
// the documented algorithm, written again here from the documentation (not by calling the code under test).
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { messages } from '../src/db/schema';
import { sign } from '../src/messaging/drivers/aliyunSignature';
import { createTestApp, type TestApp } from './helpers/app';
import { signedIn } from './helpers/factories';

describe('the V3 signature, against the examples Alibaba Cloud publishes', () => {
  // "V3版本请求体&签名机制": its fixed-value example (RunInstances on ECS, Shanghai) and its result.
  const base = {
    method: 'POST',
    path: '/',
    query: { ImageId: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd', RegionId: 'cn-shanghai' },
    body: '',
    accessKeyId: 'YourAccessKeyId',
    accessKeySecret: 'YourAccessKeySecret',
  };
  const headers = (date: string, nonce: string) => ({
    host: 'ecs.cn-shanghai.aliyuncs.com',
    'x-acs-action': 'RunInstances',
    'x-acs-version': '2014-05-26',
    'x-acs-date': date,
    'x-acs-signature-nonce': nonce,
    'x-acs-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  });

  it('gives the signature of the published fixed-value example', () => {
    const signed = sign({ ...base, headers: headers('2023-10-26T10:22:32Z', '3156853299f313e23d1673dc12e1703d') });
    expect(signed.signature).toBe('06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0');
    expect(signed.signedHeaders).toBe('host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version');
    expect(signed.authorization).toBe(
      'ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
    );
  });

  it('gives the signature of the example in the header table (another date and nonce)', () => {
    const signed = sign({ ...base, headers: headers('2023-10-26T09:01:01Z', 'd410180a5abf7fe235dd9b74aca91fc0') });
    expect(signed.signature).toBe('e521358f7776c97df52e6b2891a8bc73026794a071b50c3323388c4e0df64804');
  });
});

// ---- A stand-in for dysmsapi.aliyuncs.com that checks signatures as the documentation describes them ----

const SECRET = 'test-access-key-secret';
const ACCESS_KEY_ID = 'LTAI-test-key';

const hex = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
/** RFC 3986: only unreserved characters stay; as the documentation says, a space is %20 and * is %2A. */
const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

type Seen = { query: Record<string, string>; headers: http.IncomingHttpHeaders; verdict: string };

function verify(req: http.IncomingMessage, body: string): string {
  const url = new URL(req.url!, 'http://x');
  const auth = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(String(req.headers.authorization));
  if (!auth) return 'IncompleteSignature';
  if (auth[1] !== ACCESS_KEY_ID) return 'InvalidAccessKeyId.NotFound';
  const signedHeaders = auth[2]!.split(';');
  for (const required of ['host', 'x-acs-action', 'x-acs-version', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256']) {
    if (!signedHeaders.includes(required)) return 'IncompleteSignature';
  }
  if (req.headers['x-acs-content-sha256'] !== hex(body)) return 'IncompleteSignature';
  const date = Date.parse(String(req.headers['x-acs-date']));
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(String(req.headers['x-acs-date'])) || Math.abs(Date.now() - date) > 15 * 60_000) return 'InvalidTimeStamp.Expired';
  const params = [...url.searchParams.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonical = [
    req.method,
    url.pathname,
    params.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&'),
    signedHeaders.map((h) => `${h}:${String(req.headers[h]).trim()}\n`).join(''),
    signedHeaders.join(';'),
    hex(body),
  ].join('\n');
  const expected = crypto.createHmac('sha256', SECRET).update(`ACS3-HMAC-SHA256\n${hex(canonical)}`).digest('hex');
  return expected === auth[3] ? 'OK' : 'SignatureDoesNotMatch';
}

let server: http.Server;
let endpoint: string;
const seen: Seen[] = [];
const nonces = new Set<string>();
/** What the service answers for a number (after a good signature): OK unless listed. */
const answers: Record<string, { status: number; Code: string; Message: string }> = {
  '13900000002': { status: 200, Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: '非法手机号' },
  '13900000003': { status: 200, Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发号码天级流控' },
};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://x');
      const query = Object.fromEntries(url.searchParams.entries());
      let verdict = verify(req, body);
      const nonce = String(req.headers['x-acs-signature-nonce']);
      if (verdict === 'OK' && nonces.has(nonce)) verdict = 'SignatureNonceUsed';
      nonces.add(nonce);
      seen.push({ query, headers: req.headers, verdict });
      res.setHeader('content-type', 'application/json;charset=utf-8');
      if (verdict !== 'OK') {
        res.statusCode = 400;
        return res.end(JSON.stringify({ RequestId: 'r', Code: verdict, Message: 'Specified signature does not match our calculation.' }));
      }
      if (req.method !== 'POST' || req.headers['x-acs-action'] !== 'SendSms' || req.headers['x-acs-version'] !== '2017-05-25') {
        res.statusCode = 404;
        return res.end(JSON.stringify({ Code: 'InvalidAction.NotFound', Message: 'Specified api is not found' }));
      }
      const answer = answers[query.PhoneNumbers!];
      if (answer) {
        res.statusCode = answer.status;
        return res.end(JSON.stringify({ RequestId: 'r', Code: answer.Code, Message: answer.Message }));
      }
      res.end(JSON.stringify({ RequestId: 'r', Code: 'OK', Message: 'OK', BizId: `biz-${seen.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const aliyunEnv = (secret = SECRET) => ({
  SMS_DRIVER: 'aliyun',
  ALIYUN_ACCESS_KEY_ID: ACCESS_KEY_ID,
  ALIYUN_ACCESS_KEY_SECRET: secret,
  ALIYUN_SMS_SIGN_NAME: '鹏城劳务',
  ALIYUN_SMS_TEMPLATES: 'code=SMS_100000001, security_notice=SMS_100000002',
  ALIYUN_SMS_ENDPOINT: endpoint,
});

describe('the aliyun driver', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: aliyunEnv() });
  });
  afterAll(() => t.close());

  const rowOf = async (id: number) => (await t.ctx.db.select().from(messages).where(eq(messages.id, id)))[0]!;

  it('sends a code with a request whose signature the service accepts, and never shows the code on the outbox page', async () => {
    const res = await t.client().post('/auth/code', { purpose: 'login', login: '139 0000 0001' });
    expect(res.status).toBe(200);
    const [queued] = await t.ctx.db.select().from(messages).where(eq(messages.recipient, '13900000001'));
    const code = queued!.secret!;
    await t.ctx.messaging.drain();
    const request = seen.at(-1)!;
    expect(request.verdict).toBe('OK');
    expect(request.query).toEqual({
      PhoneNumbers: '13900000001',
      SignName: '鹏城劳务',
      TemplateCode: 'SMS_100000001',
      TemplateParam: JSON.stringify({ code }),
      OutId: String(queued!.id),
    });
    expect(await rowOf(queued!.id)).toMatchObject({ status: 'sent', driver: 'aliyun', providerId: `biz-${seen.length}`, secret: null });
    const { client } = await signedIn(t, 'admin');
    const page = await client.get('/admin/outbox');
    expect(page.text).toContain('已发出');
    expect(page.text).not.toContain(code);
    expect(page.text).not.toContain('短信只保存在这里');
  });

  it('signs Chinese text in the template parameters (a security notice with the hotline)', async () => {
    const id = await t.ctx.messaging.send(t.ctx.db, { channel: 'sms', to: '13900000004', kind: 'security_notice', body: '你的账号密码已重置。', params: { action: '密码已重置 (含空格*)', hotline: '0755-8882 8155' } });
    await t.ctx.messaging.drain();
    expect(seen.at(-1)!.verdict).toBe('OK');
    expect(JSON.parse(seen.at(-1)!.query.TemplateParam!)).toEqual({ action: '密码已重置 (含空格*)', hotline: '0755-8882 8155' });
    expect((await rowOf(id)).status).toBe('sent');
  });

  it('fails for good on a refused number, and retries on flow control', async () => {
    const refused = await t.ctx.messaging.send(t.ctx.db, { channel: 'sms', to: '13900000002', kind: 'security_notice', body: 'x', params: { action: 'x', hotline: 'x' } });
    const limited = await t.ctx.messaging.send(t.ctx.db, { channel: 'sms', to: '13900000003', kind: 'security_notice', body: 'x', params: { action: 'x', hotline: 'x' } });
    await t.ctx.messaging.drain();
    expect(await rowOf(refused)).toMatchObject({ status: 'failed', lastError: '阿里云短信: isv.MOBILE_NUMBER_ILLEGAL 非法手机号' });
    expect(await rowOf(limited)).toMatchObject({ status: 'retrying', lastError: '阿里云短信: isv.BUSINESS_LIMIT_CONTROL 触发号码天级流控' });
  });

  it('fails a kind with no template configured without calling the service', async () => {
    const before = seen.length;
    const id = await t.ctx.messaging.send(t.ctx.db, { channel: 'sms', to: '13900000005', kind: 'interview_invitation', body: 'x' });
    await t.ctx.messaging.drain();
    expect(seen.length).toBe(before);
    expect((await rowOf(id)).lastError).toContain('没有为「interview_invitation」配置阿里云短信模板');
  });
});

it('a wrong AccessKey secret is refused by the service (its signature does not match) and fails the message', async () => {
  const wrong = await createTestApp({ env: aliyunEnv('not-the-secret') });
  try {
    const id = await wrong.ctx.messaging.send(wrong.ctx.db, { channel: 'sms', to: '13900000006', kind: 'code', body: '验证码 123456', params: { code: '123456' }, secret: '123456' });
    await wrong.ctx.messaging.drain();
    expect(seen.at(-1)!.verdict).toBe('SignatureDoesNotMatch');
    const [row] = await wrong.ctx.db.select().from(messages).where(eq(messages.id, id));
    expect(row).toMatchObject({ status: 'failed', lastError: expect.stringContaining('SignatureDoesNotMatch') });
  } finally {
    await wrong.close();
  }
});

it('refuses to start with SMS_DRIVER=aliyun and a missing key, naming the setting', async () => {
  await expect(createTestApp({ env: { SMS_DRIVER: 'aliyun', ALIYUN_ACCESS_KEY_ID: 'x' } })).rejects.toThrow(/ALIYUN_ACCESS_KEY_SECRET, ALIYUN_SMS_SIGN_NAME, ALIYUN_SMS_TEMPLATES must be set/);
});
