// The authorization matrix: every route of product.md's route table, and what each kind of visitor gets
// (anonymous, seeker, employer, admin and, since issue 22, consultant).
// test/authz.test.ts walks it. A row marked `pending` names the issue that turns it on.
//
// Expectations:
//   200, 403, 404 ...  that exact status
//   'login'            a redirect to /login?next=...
//   'allowed'          anything but a login redirect or 403 (the route runs; e.g. 422 for an empty form, 303 on success)

export type Expectation = number | 'login' | 'allowed';
export type Visitor = 'anon' | 'seeker' | 'employer' | 'admin' | 'consultant';

export type MatrixRow = {
  method: 'GET' | 'POST';
  /** `{job}`, `{article}`, `{slug}`, `{resume}`, `{application}`, `{ownJob}`, `{report}`, `{user}`, `{employer}` are filled from fixtures. */
  path: string;
  expect: Record<Visitor, Expectation>;
  pending?: string;
};

const publicPage = { anon: 200, seeker: 200, employer: 200, admin: 200, consultant: 200 } as const;
const seekerOnly = { anon: 'login', seeker: 200, employer: 403, admin: 403, consultant: 403 } as const;
const seekerPost = { anon: 'login', seeker: 'allowed', employer: 403, admin: 403, consultant: 403 } as const;
const employerOnly = { anon: 'login', seeker: 403, employer: 200, admin: 403, consultant: 403 } as const;
const employerPost = { anon: 'login', seeker: 403, employer: 'allowed', admin: 403, consultant: 403 } as const;
const adminOnly = { anon: 'login', seeker: 403, employer: 403, admin: 200, consultant: 403 } as const;
const adminPost = { anon: 'login', seeker: 403, employer: 403, admin: 'allowed', consultant: 403 } as const;
// Staff pages (issue 22): admins and consultants; consultants may not touch settings, users, news or the audit log.
const staffOnly = { anon: 'login', seeker: 403, employer: 403, admin: 200, consultant: 200 } as const;
const staffPost = { anon: 'login', seeker: 403, employer: 403, admin: 'allowed', consultant: 'allowed' } as const;
const anyUser = { anon: 'login', seeker: 200, employer: 200, admin: 200, consultant: 200 } as const;

export const MATRIX: MatrixRow[] = [
  // public
  { method: 'GET', path: '/', expect: publicPage },
  { method: 'GET', path: '/jobs', expect: publicPage },
  { method: 'GET', path: '/jobs/{job}', expect: publicPage },
  { method: 'POST', path: '/jobs/{job}/report', expect: { anon: 'login', seeker: 'allowed', employer: 'allowed', admin: 'allowed', consultant: 'allowed' } },
  { method: 'GET', path: '/linshigong', expect: publicPage },
  { method: 'GET', path: '/jianzhi', expect: publicPage },
  { method: 'GET', path: '/paiqian', expect: publicPage },
  { method: 'GET', path: '/news', expect: publicPage },
  { method: 'GET', path: '/news/top', expect: publicPage },
  { method: 'GET', path: '/news/{article}', expect: publicPage },
  { method: 'GET', path: '/k/{slug}', expect: publicPage },
  { method: 'GET', path: '/about', expect: publicPage },
  { method: 'GET', path: '/join', expect: publicPage },
  { method: 'GET', path: '/sitemap', expect: publicPage },
  { method: 'GET', path: '/sitemap.xml', expect: publicPage },
  { method: 'GET', path: '/robots.txt', expect: publicPage },
  { method: 'GET', path: '/feed.xml', expect: publicPage },
  { method: 'GET', path: '/privacy', expect: publicPage },
  { method: 'GET', path: '/terms', expect: publicPage },
  { method: 'GET', path: '/healthz', expect: publicPage },
  // accounts: signed-in users are sent to their own area from the forms
  { method: 'GET', path: '/signup', expect: { anon: 200, seeker: 302, employer: 302, admin: 302, consultant: 302 } },
  { method: 'GET', path: '/login', expect: { anon: 200, seeker: 302, employer: 302, admin: 302, consultant: 302 } },
  { method: 'POST', path: '/logout', expect: { anon: 303, seeker: 303, employer: 303, admin: 303, consultant: 303 } },
  // seeker
  { method: 'GET', path: '/me', expect: seekerOnly },
  { method: 'GET', path: '/me/profile', expect: seekerOnly },
  { method: 'GET', path: '/me/resumes', expect: seekerOnly },
  { method: 'GET', path: '/me/applications', expect: seekerOnly },
  { method: 'GET', path: '/me/saved', expect: seekerOnly },
  { method: 'GET', path: '/me/resume-views', expect: seekerOnly },
  { method: 'GET', path: '/me/notifications', expect: seekerOnly },
  // job alerts (issue 20): a visitor's one-click unsubscribe link needs no login; a bad token is a 400 for anyone
  { method: 'GET', path: '/me/alerts', expect: seekerOnly },
  { method: 'POST', path: '/me/alerts', expect: seekerPost },
  { method: 'POST', path: '/me/alerts/1', expect: seekerPost },
  { method: 'POST', path: '/me/alerts/1/delete', expect: seekerPost },
  { method: 'GET', path: '/alerts/unsubscribe?token=1.tampered', expect: { anon: 400, seeker: 400, employer: 400, admin: 400, consultant: 400 } },
  { method: 'GET', path: '/u/1.tampered00', expect: { anon: 400, seeker: 400, employer: 400, admin: 400, consultant: 400 } },
  // Visitors get quick apply (issue 17): an empty form is refused field by field.
  { method: 'POST', path: '/jobs/{job}/apply', expect: { ...seekerPost, anon: 422 } },
  { method: 'POST', path: '/jobs/{job}/save', expect: seekerPost },
  { method: 'GET', path: '/me/export', expect: anyUser },
  { method: 'GET', path: '/me/delete', expect: { anon: 'login', seeker: 200, employer: 200, admin: 403, consultant: 403 } },
  { method: 'POST', path: '/me/delete', expect: { anon: 'login', seeker: 'allowed', employer: 'allowed', admin: 403, consultant: 403 } },
  // employer
  { method: 'GET', path: '/employer', expect: employerOnly },
  { method: 'GET', path: '/employer/profile', expect: employerOnly },
  { method: 'GET', path: '/employer/notifications', expect: employerOnly },
  { method: 'GET', path: '/employer/jobs', expect: employerOnly },
  { method: 'GET', path: '/employer/jobs/new', expect: employerOnly },
  { method: 'GET', path: '/employer/jobs/{ownJob}/edit', expect: { anon: 'login', seeker: 403, employer: 200, admin: 403, consultant: 403 } },
  { method: 'GET', path: '/employer/jobs/{ownJob}/applications', expect: { anon: 'login', seeker: 403, employer: 200, admin: 403, consultant: 403 } },
  { method: 'POST', path: '/employer/applications/{application}/status', expect: employerPost },
  // files
  { method: 'GET', path: '/files/resumes/{resume}', expect: { anon: 'login', seeker: 404, employer: 404, admin: 200, consultant: 404 } },
  // admin
  // A consultant's back office starts at /admin/leads.
  { method: 'GET', path: '/admin', expect: { ...adminOnly, consultant: 302 } },
  { method: 'GET', path: '/admin/jobs', expect: staffOnly },
  { method: 'GET', path: '/admin/reports', expect: staffOnly },
  { method: 'GET', path: '/admin/employers', expect: adminOnly },
  { method: 'GET', path: '/admin/users', expect: adminOnly },
  { method: 'GET', path: '/admin/news', expect: adminOnly },
  { method: 'GET', path: '/admin/news/import', expect: adminOnly },
  { method: 'GET', path: '/admin/settings', expect: adminOnly },
  { method: 'GET', path: '/admin/audit', expect: adminOnly },
  // issue 4: the routes the jobs feature adds beside the route table (lifecycle buttons, review actions)
  { method: 'GET', path: '/employer/profile/license', expect: { anon: 'login', seeker: 403, employer: 'allowed', admin: 403, consultant: 403 } },
  { method: 'POST', path: '/employer/jobs/{ownJob}/submit', expect: employerPost },
  { method: 'POST', path: '/employer/jobs/{ownJob}/close', expect: employerPost },
  { method: 'POST', path: '/employer/jobs/{ownJob}/reopen', expect: employerPost },
  { method: 'POST', path: '/employer/jobs/{ownJob}/duplicate', expect: employerPost },
  { method: 'POST', path: '/employer/jobs/{ownJob}/refresh', expect: employerPost },
  { method: 'GET', path: '/admin/jobs/{job}', expect: staffOnly },
  { method: 'POST', path: '/admin/jobs/{job}/approve', expect: staffPost },
  { method: 'POST', path: '/admin/jobs/{job}/reject', expect: staffPost },
  { method: 'POST', path: '/admin/jobs/bulk-approve', expect: staffPost },
  { method: 'POST', path: '/admin/reports/{report}/dismiss', expect: staffPost },
  { method: 'POST', path: '/admin/reports/{report}/uphold', expect: staffPost },
  // issue 7: the routes the admin and site feature adds beside the route table. {user} is a seeker and {employer}
  // a company with a license file, both made for these rows (disabling them does not touch the matrix's own users).
  { method: 'GET', path: '/sitemaps/pages.xml', expect: publicPage },
  { method: 'GET', path: '/admin/users/{user}', expect: adminOnly },
  { method: 'POST', path: '/admin/users/{user}/disable', expect: adminPost },
  { method: 'POST', path: '/admin/users/{user}/enable', expect: adminPost },
  { method: 'GET', path: '/admin/employers/{employer}', expect: adminOnly },
  { method: 'GET', path: '/admin/employers/{employer}/license', expect: adminOnly },
  { method: 'POST', path: '/admin/employers/{employer}/verify', expect: adminPost },
  { method: 'POST', path: '/admin/employers/{employer}/unverify', expect: adminPost },
  // An empty POST is refused as incomplete (422): the matrix cannot wipe the footer or the keyword pages.
  { method: 'POST', path: '/admin/settings/basic', expect: adminPost },
  { method: 'POST', path: '/admin/settings/pages', expect: adminPost },
  { method: 'POST', path: '/admin/settings/footer', expect: adminPost },
  { method: 'POST', path: '/admin/settings/keywords', expect: adminPost },
  { method: 'POST', path: '/admin/settings/words', expect: adminPost },
  // issue 16: verified accounts. Empty POSTs are refused as incomplete (422); the code forms never say whether a
  // number has an account, so anonymous visitors reach them all.
  { method: 'POST', path: '/auth/code', expect: { anon: 'allowed', seeker: 'allowed', employer: 'allowed', admin: 'allowed', consultant: 'allowed' } },
  { method: 'GET', path: '/login/code', expect: { anon: 200, seeker: 302, employer: 302, admin: 302, consultant: 302 } },
  { method: 'POST', path: '/login/code', expect: { anon: 'allowed', seeker: 'allowed', employer: 'allowed', admin: 'allowed', consultant: 'allowed' } },
  { method: 'GET', path: '/forgot', expect: { anon: 200, seeker: 302, employer: 302, admin: 302, consultant: 302 } },
  { method: 'POST', path: '/forgot', expect: { anon: 'allowed', seeker: 'allowed', employer: 'allowed', admin: 'allowed', consultant: 'allowed' } },
  { method: 'GET', path: '/forgot/reset', expect: publicPage },
  { method: 'POST', path: '/forgot/reset', expect: { anon: 'allowed', seeker: 'allowed', employer: 'allowed', admin: 'allowed', consultant: 'allowed' } },
  { method: 'GET', path: '/me/security', expect: anyUser },
  { method: 'POST', path: '/me/security/password', expect: { anon: 'login', seeker: 'allowed', employer: 'allowed', admin: 'allowed', consultant: 'allowed' } },
  { method: 'GET', path: '/me/security/phone', expect: anyUser },
  { method: 'POST', path: '/me/security/phone', expect: { anon: 'login', seeker: 'allowed', employer: 'allowed', admin: 'allowed', consultant: 'allowed' } },
  { method: 'GET', path: '/me/security/email', expect: anyUser },
  { method: 'POST', path: '/me/security/email', expect: { anon: 'login', seeker: 'allowed', employer: 'allowed', admin: 'allowed', consultant: 'allowed' } },
  // Ends the visitor's other sessions: the matrix's users have only the one they use.
  { method: 'POST', path: '/me/security/sessions', expect: { anon: 'login', seeker: 'allowed', employer: 'allowed', admin: 'allowed', consultant: 'allowed' } },
  { method: 'GET', path: '/admin/outbox', expect: adminOnly },
  // issue 18: the employer workspace ({application} is an application to the employer visitor's {ownJob}).
  { method: 'GET', path: '/employer/applicants', expect: employerOnly },
  { method: 'GET', path: '/employer/applicants.xlsx', expect: employerOnly },
  { method: 'POST', path: '/employer/applicants/bulk', expect: employerPost },
  { method: 'POST', path: '/employer/applications/{application}/undo', expect: employerPost },
  { method: 'POST', path: '/employer/applications/{application}/notes', expect: employerPost },
  { method: 'GET', path: '/employer/applications/{application}/interview', expect: employerOnly },
  { method: 'POST', path: '/employer/applications/{application}/interview', expect: employerPost },
  { method: 'GET', path: '/me/interviews', expect: seekerOnly },
  { method: 'GET', path: '/me/talent', expect: seekerOnly },
  { method: 'POST', path: '/me/talent', expect: seekerPost },
  // The talent pool is for verified employers: the matrix's employer is not verified (403 with the reason).
  { method: 'GET', path: '/employer/talent', expect: { anon: 'login', seeker: 403, employer: 403, admin: 403, consultant: 403 } },
  // issue 22: client demand leads, consultants and jobs posted for client companies. {lead} is a 跟进中 lead,
  // {clientJob} a draft job staff posted for a client company. Empty POSTs are refused (422) or say why (303).
  { method: 'GET', path: '/hire', expect: publicPage },
  { method: 'POST', path: '/hire', expect: { anon: 'allowed', seeker: 'allowed', employer: 'allowed', admin: 'allowed', consultant: 'allowed' } },
  { method: 'GET', path: '/hire/thanks', expect: publicPage },
  { method: 'GET', path: '/admin/users/new', expect: adminOnly },
  { method: 'POST', path: '/admin/users/new', expect: adminPost },
  { method: 'GET', path: '/admin/leads', expect: staffOnly },
  { method: 'GET', path: '/admin/leads.xlsx', expect: staffOnly },
  { method: 'GET', path: '/admin/leads/{lead}', expect: staffOnly },
  { method: 'POST', path: '/admin/leads/{lead}/status', expect: staffPost },
  { method: 'POST', path: '/admin/leads/{lead}/note', expect: staffPost },
  { method: 'POST', path: '/admin/leads/{lead}/assign', expect: staffPost },
  { method: 'POST', path: '/admin/leads/{lead}/follow-up', expect: staffPost },
  { method: 'POST', path: '/admin/leads/{lead}/convert', expect: staffPost },
  { method: 'GET', path: '/admin/client-jobs', expect: staffOnly },
  { method: 'GET', path: '/admin/client-jobs/new?company={clientCompany}', expect: staffOnly },
  { method: 'POST', path: '/admin/client-jobs/new?company={clientCompany}', expect: staffPost },
  { method: 'GET', path: '/admin/client-jobs/{clientJob}/edit', expect: staffOnly },
  { method: 'POST', path: '/admin/client-jobs/{clientJob}/edit', expect: staffPost },
  // The staff inbox: {clientApplication} applied to {clientJob}.
  { method: 'GET', path: '/admin/applicants', expect: staffOnly },
  { method: 'GET', path: '/admin/applicants/{clientApplication}', expect: staffOnly },
  { method: 'POST', path: '/admin/applicants/{clientApplication}/status', expect: staffPost },
  { method: 'POST', path: '/admin/client-jobs/{clientJob}/share', expect: staffPost },
  { method: 'POST', path: '/admin/settings/leads', expect: adminPost },
  { method: 'GET', path: '/admin/help', expect: adminOnly },
];
