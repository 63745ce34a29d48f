// Owns the typed errors the domain throws; the web edge (web/errorHandler.ts) turns them into pages.

export class AppError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  constructor(message = '页面不存在或已被删除') {
    super(message, 404);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = '您没有权限访问此页面') {
    super(message, 403);
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super(message, 409);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(message = '操作过于频繁,请稍后再试') {
    super(message, 429);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message = '文件不能超过 5MB') {
    super(message, 413);
  }
}

export class UnsupportedFileError extends AppError {
  constructor(message = '仅支持 PDF、Word、JPG、PNG 文件') {
    super(message, 415);
  }
}

/** Field errors keyed by field name, each a Chinese sentence shown beside its field. */
export type FieldErrors = Record<string, string>;

export class ValidationError extends AppError {
  constructor(
    readonly fieldErrors: FieldErrors,
    message = '请检查并修改标出的内容',
  ) {
    super(message, 422);
  }
}

/** A state change that the rules do not allow (e.g. an illegal status transition). */
export class InvalidTransitionError extends AppError {
  constructor(message: string) {
    super(message, 409);
  }
}
