// Owns Passport: the local strategy, and loading the user from the session id on each request.
import passport, { type PassportStatic } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { Db } from '../../db/client';
import { authenticate, findUserById, toSessionUser } from './accounts.service';

export const messages = {
  invalid: '手机号/邮箱或密码错误',
  disabled: '该账号已被停用,如有疑问请联系客服',
};

export function configurePassport(db: Db): PassportStatic {
  const instance = new passport.Passport() as unknown as PassportStatic;
  instance.use(
    new LocalStrategy({ usernameField: 'login', passwordField: 'password' }, (login, password, done) => {
      authenticate(db, login, password).then(
        (result) => (result.ok ? done(null, toSessionUser(result.user)) : done(null, false, { message: messages[result.reason] })),
        done,
      );
    }),
  );
  // The session stores only the id; the user is loaded fresh on each request, so a disabled account stops at once.
  instance.serializeUser((user, done) => done(null, (user as Express.User).id));
  instance.deserializeUser((id: number, done) => {
    findUserById(db, Number(id)).then(
      (user) => done(null, user && user.status === 'active' ? toSessionUser(user) : false),
      done,
    );
  });
  return instance;
}
