// Owns what a 404 page says: it speaks of what was asked for (an article, a job, a keyword page, a file, a record
// of the back office) and offers the way on from there, instead of one sentence about jobs for every address.
export type NotFoundPage = {
  /** One sentence about what was asked for and why it may be gone. */
  text: string;
  /** Where to go instead: [href, label]. */
  links: [string, string][];
  /** Offer the job search box (the pages a job seeker lands on from old links). */
  jobSearch: boolean;
};

const AREAS: [RegExp, NotFoundPage][] = [
  [/^\/news(\/|$)/, { text: '这篇资讯不存在,可能已被删除或撤回,也可能是链接有误。', links: [['/news', '看最新人力资讯'], ['/news/top', '人力资讯TOP500']], jobSearch: false }],
  [/^\/(jobs|linshigong|jianzhi|paiqian)\//, { text: '这个职位不存在,可能已经结束招聘或被删除,也可能是链接有误。看看其他正在招聘的职位:', links: [['/jobs', '浏览全部职位']], jobSearch: true }],
  [/^\/k\//, { text: '这个专题页面不存在,可能已经改名或删除。', links: [['/jobs', '浏览全部职位'], ['/sitemap', '网站地图']], jobSearch: true }],
  [/^\/files\//, { text: '这个文件不存在,可能已被删除。', links: [], jobSearch: false }],
  [/^\/admin(\/|$)/, { text: '要找的记录或后台页面不存在,可能已被删除。', links: [['/admin', '回到管理后台']], jobSearch: false }],
  [/^\/employer(\/|$)/, { text: '要找的职位、投递或页面不存在,可能已被删除,或者不属于你的企业账户。', links: [['/employer', '回到企业中心']], jobSearch: false }],
  [/^\/me(\/|$)/, { text: '要找的记录或页面不存在,可能已被删除,或者不属于你的账户。', links: [['/me', '回到个人中心']], jobSearch: false }],
];

const ELSEWHERE: NotFoundPage = { text: '你要找的页面不存在,可能已被移动或删除,也可能是链接有误。', links: [['/jobs', '浏览全部职位'], ['/sitemap', '网站地图']], jobSearch: true };

export function notFoundPageFor(path: string): NotFoundPage {
  return AREAS.find(([pattern]) => pattern.test(path))?.[1] ?? ELSEWHERE;
}
