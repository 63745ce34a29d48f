// Owns the end of every request that went wrong: the Chinese 404, the error page with its request id, and 503.
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { isDatabaseUnavailable } from '../db/client';
import { AppError, NotFoundError, ValidationError } from '../errors';
import type { AppContext } from '../context';
import { setBaseLocals } from './locals';
import { notFoundPageFor } from './notFound';

const messages = {
  serverError: '服务器开小差了,请稍后再试。如果问题持续出现,请把下面的请求编号告诉客服。',
  unavailable: '系统正在维护或数据库暂时无法连接,请稍后再试。',
  badRequest: '请求无效',
  tooLarge: '提交的内容太大',
  titles: {
    400: '请求无效',
    403: '没有权限',
    404: '页面不存在',
    409: '操作无法完成',
    413: '内容太大',
    415: '文件类型不支持',
    422: '提交的内容有误',
    429: '操作过于频繁',
    500: '服务器错误',
    503: '服务暂时不可用',
  } as Record<number, string>,
};

export const notFound: RequestHandler = (_req, _res, next) => next(new NotFoundError());

function statusOf(err: unknown): number {
  if (err instanceof AppError) return err.status;
  if (isDatabaseUnavailable(err)) return 503;
  const e = err as { status?: number; statusCode?: number; type?: string };
  const status = e?.status ?? e?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 600) return status;
  return 500;
}

function publicMessage(err: unknown, status: number): string {
  if (err instanceof AppError) return err.message;
  if (status === 503) return messages.unavailable;
  if (status === 413) return messages.tooLarge;
  if (status >= 400 && status < 500) return messages.badRequest;
  return messages.serverError;
}

export function errorHandler(ctx: AppContext): ErrorRequestHandler {
  const { logger } = ctx;
  return (err: unknown, req: Request, res: Response, _next) => {
    const status = statusOf(err);
    const requestId = String(req.id ?? '');
    if (status === 503) {
      if (isDatabaseUnavailable(err)) ctx.dbGate.markDown();
      // The reason is the error's class, never its message: a failed query's message quotes its parameters.
      logger.warn({ requestId, method: req.method, url: req.originalUrl, reason: (err as Error)?.name ?? typeof err }, 'service unavailable');
    } else if (status >= 500) {
      logger.error({ err, requestId, method: req.method, url: req.originalUrl }, 'request failed');
    } else if (status === 403 || status === 404) {
      logger.info({ requestId, status, method: req.method, url: req.originalUrl, userId: req.user?.id }, 'request refused');
    }
    // Headers already sent (e.g. the session failed to save after the page was written): nothing more can be said.
    // Cut the connection only if the body is incomplete, so the client does not take a truncated page as whole.
    if (res.headersSent) {
      if (!res.writableEnded) req.socket.destroy();
      return;
    }
    if (status === 503) res.setHeader('Retry-After', '30');
    if (status === 429) res.setHeader('Retry-After', '900');
    const message = publicMessage(err, status);
    // The request may have failed before the page locals were set (database down, bad body).
    if (res.locals.site === undefined) setBaseLocals(ctx, req, res);
    res.status(status);
    if (req.accepts(['html', 'json']) === 'json') {
      res.json({ error: message, requestId, ...(err instanceof ValidationError ? { fields: err.fieldErrors } : {}) });
      return;
    }
    const data = {
      title: messages.titles[status] ?? messages.titles[500],
      status,
      message,
      requestId,
      noindex: true,
      // A 404 names what was asked for; a message of its own (not the default) is said first.
      notFound: status === 404 ? notFoundPageFor(req.path) : null,
      ownMessage: status === 404 && message !== new NotFoundError().message ? message : '',
    };
    const view = status === 404 ? 'errors/404' : 'errors/error';
    res.render(view, data, (renderErr: Error | null, html?: string) => {
      if (!renderErr) return res.send(html);
      // The error page itself failed (a broken template, settings unreadable while the DB is down): plain fallback.
      logger.error({ err: renderErr, requestId }, 'error page failed to render');
      res
        .type('html')
        .send(
          `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>${data.title}</title>` +
            `<h1>${data.title}</h1><p>${message}</p><p>请求编号:${requestId}</p><p><a href="/">返回首页</a></p></html>`,
        );
    });
  };
}
