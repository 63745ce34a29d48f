// Owns how a session's device is shown on /me/security: a short name from the User-Agent, and a masked IP.

/** Checked in order: the first match names the app or browser (WeChat's and QQ's browsers before Chrome/Safari). */
const BROWSERS: [RegExp, string][] = [
  [/MicroMessenger/i, '微信'],
  [/\bQQ\//i, 'QQ'],
  [/MQQBrowser|QQBrowser/i, 'QQ浏览器'],
  [/UCBrowser|UCWEB/i, 'UC浏览器'],
  [/HuaweiBrowser/i, '华为浏览器'],
  [/MiuiBrowser/i, '小米浏览器'],
  [/baiduboxapp|BaiduBrowser/i, '百度'],
  [/Quark/i, '夸克'],
  [/Edg(e|A|iOS)?\//i, 'Edge'],
  [/Firefox|FxiOS/i, 'Firefox'],
  [/Chrome|CriOS/i, 'Chrome'],
  [/Safari/i, 'Safari'],
];

const SYSTEMS: [RegExp, string][] = [
  [/iPhone/i, 'iPhone'],
  [/iPad/i, 'iPad'],
  [/HarmonyOS|OpenHarmony/i, '鸿蒙'],
  [/Android/i, '安卓手机'],
  [/Windows/i, 'Windows 电脑'],
  [/Macintosh|Mac OS X/i, 'Mac 电脑'],
  [/Linux/i, 'Linux 电脑'],
];

/** "iPhone · 微信", "Windows 电脑 · Chrome", or 未知设备. */
export function describeDevice(userAgent: string): string {
  const system = SYSTEMS.find(([re]) => re.test(userAgent))?.[1];
  const browser = BROWSERS.find(([re]) => re.test(userAgent))?.[1];
  const parts = [system, browser].filter(Boolean);
  return parts.length ? parts.join(' · ') : '未知设备';
}

/** 183.14.25.7 → 183.14.*.*; an IPv6 address keeps its first two groups. Enough to recognise, not to locate. */
export function maskIp(ip: string): string {
  const v4 = ip.replace(/^::ffff:/, '');
  if (/^\d+\.\d+\.\d+\.\d+$/.test(v4)) return v4.split('.').slice(0, 2).join('.') + '.*.*';
  if (ip.includes(':')) return ip.split(':').slice(0, 2).join(':') + ':*';
  return ip ? '*' : '未知';
}
