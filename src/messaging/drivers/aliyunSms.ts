// Owns SMS delivery through Alibaba Cloud SMS (阿里云短信服务): the SendSms API (version 2017-05-25), signed with V3.
import crypto from 'node:crypto';
import { DeliveryError, type Driver } from './driver';
import { canonicalQueryString, contentSha256, sign } from './aliyunSignature';

export type AliyunSmsOptions = {
  accessKeyId: string;
  accessKeySecret: string;
  /** The approved signature (签名), shown as 【...】 at the start of each SMS. */
  signName: string;
  /** Message kind → approved template code (SMS_123456789). */
  templates: Record<string, string>;
  endpoint: string;
  timeoutMs?: number;
  now?: () => Date;
};

/**
 * Codes worth another try later: flow control (one number gets at most about one SMS a minute), throttling, an
 * empty balance, and the service's own failures. Every other code (a wrong number, template or signature, bad
 * keys) fails the message for good; it is shown on the outbox page.
 */
const TRANSIENT = /^(isv\.BUSINESS_LIMIT_CONTROL|isv\.DAY_LIMIT_CONTROL|isv\.AMOUNT_NOT_ENOUGH|isv\.OUT_OF_SERVICE|Throttling.*|ServiceUnavailable|InternalError|isp\..*)$/;

type SendSmsResponse = { Code?: string; Message?: string; BizId?: string; RequestId?: string };

export function aliyunSmsDriver(options: AliyunSmsOptions): Driver {
  const url = new URL(options.endpoint);
  const now = options.now ?? (() => new Date());
  return {
    name: 'aliyun',
    storesOnly: false,
    async deliver(message) {
      const templateCode = options.templates[message.kind];
      if (!templateCode) throw new DeliveryError(`没有为「${message.kind}」配置阿里云短信模板(ALIYUN_SMS_TEMPLATES)`, true);
      const query = {
        PhoneNumbers: message.recipient,
        SignName: options.signName,
        TemplateCode: templateCode,
        TemplateParam: JSON.stringify(message.params),
        OutId: String(message.id),
      };
      const body = '';
      const headers: Record<string, string> = {
        host: url.host,
        'x-acs-action': 'SendSms',
        'x-acs-version': '2017-05-25',
        'x-acs-date': now().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        'x-acs-signature-nonce': crypto.randomBytes(16).toString('hex'),
        'x-acs-content-sha256': contentSha256(body),
      };
      const signed = sign({ method: 'POST', path: url.pathname || '/', query, headers, body, accessKeyId: options.accessKeyId, accessKeySecret: options.accessKeySecret });
      const target = new URL(url);
      // The query is sent exactly as it was signed (RFC 3986, a space as %20), as Alibaba's own SDKs send it.
      target.search = canonicalQueryString(query);
      let res: Response;
      try {
        const { host: _host, ...sent } = headers; // fetch sets Host from the URL (the same value)
        res = await fetch(target, {
          method: 'POST',
          headers: { ...sent, authorization: signed.authorization, accept: 'application/json' },
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (err) {
        throw new DeliveryError(`阿里云短信: 无法连接 (${(err as Error).message})`, false);
      }
      let data: SendSmsResponse;
      try {
        data = (await res.json()) as SendSmsResponse;
      } catch {
        // Not JSON: a gateway in between (5xx, 429) is worth another try; any other status is not.
        throw new DeliveryError(`阿里云短信: HTTP ${res.status},回应无法解析`, res.status < 500 && res.status !== 429);
      }
      if (data.Code === 'OK') return { providerId: data.BizId };
      const code = data.Code ?? `HTTP ${res.status}`;
      const worthRetrying = res.status >= 500 || TRANSIENT.test(code);
      throw new DeliveryError(`阿里云短信: ${code} ${data.Message ?? ''}`.trim().slice(0, 500), !worthRetrying);
    },
  };
}
