export { hashOneTimeToken, newOneTimeToken } from './one-time.ts';
export { hashPassword, verifyPassword } from './password.ts';
export { blockedFor, type Limit, pruneRateLimits, recordFailure, resetLimit } from './rate-limit.ts';
export {
  createSession,
  findSessionUser,
  invalidateOtherSessions,
  invalidateSession,
  invalidateUserSessions,
  pruneExpiredSessions,
  type SessionUser,
  sessionCookieName,
  sessionLifetimeMs,
  type ValidSession,
  validateSessionToken,
} from './session.ts';
