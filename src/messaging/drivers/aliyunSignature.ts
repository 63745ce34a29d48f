// Owns Alibaba Cloud's request signature V3 (ACS3-HMAC-SHA256), as published in "V3版本请求体&签名机制".
import crypto from 'node:crypto';

export const ALGORITHM = 'ACS3-HMAC-SHA256';

const sha256Hex = (data: string | Buffer) => crypto.createHash('sha256').update(data).digest('hex');

/** RFC 3986 encoding: only A-Z a-z 0-9 - _ . ~ stay as they are; a space is %20, never +. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Parameters sorted by name, each name and value encoded, joined with &. */
export function canonicalQueryString(query: Record<string, string>): string {
  return Object.keys(query)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(query[k]!)}`)
    .join('&');
}

export type SignInput = {
  method: string;
  /** The path: "/" for RPC-style APIs such as SendSms. */
  path: string;
  query: Record<string, string>;
  /** Lower-case names: host, x-acs-action, x-acs-version, x-acs-date, x-acs-signature-nonce, x-acs-content-sha256 ... */
  headers: Record<string, string>;
  body: string | Buffer;
  accessKeyId: string;
  accessKeySecret: string;
};

export type Signed = { canonicalRequest: string; stringToSign: string; signature: string; signedHeaders: string; authorization: string };

/** The headers that take part: host, content-type and every x-acs-* header, by lower-case name in order. */
function signedHeaderNames(headers: Record<string, string>): string[] {
  return Object.keys(headers)
    .map((h) => h.toLowerCase())
    .filter((h) => h === 'host' || h === 'content-type' || h.startsWith('x-acs-'))
    .sort();
}

export function sign(input: SignInput): Signed {
  const lower = Object.fromEntries(Object.entries(input.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const names = signedHeaderNames(lower);
  const canonicalHeaders = names.map((n) => `${n}:${lower[n]!.trim()}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    input.method.toUpperCase(),
    input.path.split('/').map(percentEncode).join('/') || '/',
    canonicalQueryString(input.query),
    canonicalHeaders,
    signedHeaders,
    sha256Hex(input.body),
  ].join('\n');
  const stringToSign = `${ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
  const signature = crypto.createHmac('sha256', input.accessKeySecret).update(stringToSign).digest('hex');
  return {
    canonicalRequest,
    stringToSign,
    signature,
    signedHeaders,
    authorization: `${ALGORITHM} Credential=${input.accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`,
  };
}

export function contentSha256(body: string | Buffer): string {
  return sha256Hex(body);
}
