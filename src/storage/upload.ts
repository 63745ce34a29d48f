// Owns receiving one uploaded file: Multer to a temp file with limits, then a content check.
// Whatever happens to the request, the temp file is gone before the response ends.
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { AppError, PayloadTooLargeError, UnsupportedFileError } from '../errors';
import { withoutControlChars } from '../web/forms';
import type { FileStorage } from './files';
import { sniffFile, type FileTypeName, type SniffedType } from './sniff';

export const MB = 1024 * 1024;

const messages = {
  badForm: '上传的表单无效,请重新选择文件后提交',
  aborted: '上传中断,请重试',
};

export type UploadedFile = {
  tempPath: string;
  /** The client's file name (shown back to the user and in Content-Disposition), never used on disk. */
  originalName: string;
  size: number;
  type: SniffedType & { name: FileTypeName };
};

export type UploadRule = {
  field: string;
  maxBytes: number;
  accept: FileTypeName[];
  /** e.g. `文件不能超过 5MB` */
  sizeMessage: string;
  /** e.g. `仅支持 PDF、Word、JPG、PNG 文件` */
  typeMessage: string;
  /** Largest text field of the form (default 64 KB); an article body needs more. */
  maxFieldBytes?: number;
};

declare global {
  namespace Express {
    interface Request {
      upload?: UploadedFile;
    }
  }
}

/** Cleans a client's file name for display: no path, no control characters, at most 120 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.normalize('NFC').replace(/[\u0000-\u001f\u007f"<>|*?:]/g, '').trim();
  return (cleaned || 'file').slice(-120);
}

/**
 * Middleware for routes that take one file in `rule.field` (optional: a form without a file passes with
 * `req.upload` unset). Mount it only on those routes; the CSRF check has already run (token in the URL).
 */
export function acceptUpload(storage: FileStorage, rule: UploadRule): RequestHandler {
  const parser = multer({
    dest: storage.tempDir,
    defParamCharset: 'utf8',
    limits: { fileSize: rule.maxBytes, files: 1, fields: 30, fieldSize: rule.maxFieldBytes ?? 64 * 1024, parts: 40, headerPairs: 50 },
  }).single(rule.field);

  return (req: Request, res: Response, next: NextFunction) => {
    // The temp file never outlives the response, whether the route moved it, refused it, or crashed. The end
    // of the response waits for the removal, so whoever has the answer (a user retrying, a test counting files)
    // never finds the file still there; a request aborted before any answer cleans up on 'close'.
    let tempPath: string | undefined;
    const cleanup = () => storage.removeTemp(tempPath);
    endAfter(res, cleanup);
    res.once('close', () => {
      if (!res.writableEnded) void cleanup();
    });

    parser(req, res, (err: unknown) => {
      if (err) return next(translateMulterError(err, rule, req));
      req.body = withoutControlChars(req.body ?? {});
      const file = req.file;
      tempPath = file?.path;
      if (!file || file.size === 0) {
        req.file = undefined;
        return next();
      }
      sniffFile(file.path).then((type) => {
        if (!type || !rule.accept.includes(type.name)) {
          return next(new UnsupportedFileError(rule.typeMessage));
        }
        req.upload = { tempPath: file.path, originalName: cleanFileName(file.originalname), size: file.size, type };
        next();
      }, next);
    });
  };
}

/** Holds `res.end` until `work` is done: the client gets the last byte only after it. */
function endAfter(res: Response, work: () => Promise<void>): void {
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  res.end = ((...args: unknown[]) => {
    void work().finally(() => end(...args));
    return res;
  }) as Response['end'];
}

function translateMulterError(err: unknown, rule: UploadRule, req: Request): Error {
  if (err instanceof multer.MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE') return new PayloadTooLargeError(rule.sizeMessage);
    return new AppError(messages.badForm, 422);
  }
  // Classified by class and state, never by message text. A file-system failure (disk full, permissions) is ours.
  if (typeof (err as { syscall?: unknown })?.syscall === 'string') return err as Error;
  // Anything else the form parser raises is about the request's bytes: cut off by the client, or malformed.
  if (req.readableAborted || req.destroyed) return new AppError(messages.aborted, 400);
  return new AppError(messages.badForm, 400);
}

/**
 * Put after an upload route's handler: a refused upload (too large, wrong type, broken or aborted form)
 * re-renders the route's own page with the message beside the file field and the refusal's status kept.
 * Other errors go on to the error handler.
 */
export function renderUploadErrors(
  render: (req: Request, res: Response, status: number, errors: Record<string, string>) => Promise<void>,
  field = 'file',
): ErrorRequestHandler {
  return (err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!(err instanceof AppError) || ![400, 413, 415].includes(err.status) || res.headersSent) return next(err);
    render(req, res, err.status, { [field]: err.message }).catch(next);
  };
}
