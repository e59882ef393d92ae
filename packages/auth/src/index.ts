export { type CommentLimits, commentWriteWait, defaultCommentLimits } from './comment-throttle.ts';
export { deviceCookieName, deviceLifetimeMs, knownDeviceId, newDeviceToken } from './device.ts';
export {
  defaultLoginLimits,
  type LoginLimits,
  type PasswordAttempt,
  passwordAttemptWait,
  recordPasswordFailure,
  recordPasswordSuccess,
} from './login-throttle.ts';
export { hashOneTimeToken, newOneTimeToken } from './one-time.ts';
export { hashPassword, verifyPassword } from './password.ts';
export {
  blockedFor,
  countAgainst,
  failuresOf,
  type Limit,
  pruneRateLimits,
  resetLimit,
} from './rate-limit.ts';
export {
  createSession,
  type DocumentRole,
  findSessionForDocument,
  invalidateOtherSessions,
  invalidateSession,
  invalidateUserSessions,
  pruneExpiredSessions,
  type SessionUser,
  sessionCookieName,
  sessionLifetimeMs,
  type ValidSession,
  validateSessionForDocument,
  validateSessionToken,
} from './session.ts';
