// `satisfies` makes a missing or misspelt key a type error while keeping the literal values.
import { enAdmin } from './areas/admin.ts';
import { enEditor } from './areas/editor.ts';
import { enRooms } from './areas/rooms.ts';
import type { de } from './de.ts';

export const en = {
  ...enEditor,
  ...enRooms,
  ...enAdmin,
  'app.name': 'Nordraum',
  'app.tagline': 'Digital data room of the northern German states',
  'app.skipToContent': 'Skip to main content',
  'app.footer': 'Nordraum – a service of the states of Schleswig-Holstein and Mecklenburg-Vorpommern',
  'app.pageTitle': '{page} – Nordraum',
  'app.redirecting': 'Redirecting …',
  'app.retry': 'Try again',
  'app.startTitle': 'Start',

  'language.label': 'Choose language',
  'language.de': 'Deutsch',
  'language.en': 'English',

  'user.label': 'Signed in as',
  'user.organization': 'Organisation: {name}',
  'user.logout': 'Sign out',
  'user.loggingOut': 'Signing out …',

  'login.title': 'Sign in',
  'login.intro': 'Sign in with your work email address.',
  'login.email': 'Email address',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.submitting': 'Signing in …',
  'login.emailRequired': 'Please enter your email address.',
  'login.passwordRequired': 'Please enter your password.',
  'login.failedTitle': 'Sign-in failed',
  'login.sessionExpired': 'Please sign in to continue.',

  'rooms.title': 'My data rooms',
  'rooms.intro': 'Data rooms you are a member of.',
  'rooms.empty': 'You are not a member of any data room yet.',
  'rooms.loading': 'Loading data rooms …',
  'rooms.loadFailedTitle': 'Data rooms could not be loaded',
  'rooms.role': 'Your role',
  'rooms.organizations': 'Participating organisations',
  'rooms.noDescription': 'No description available.',

  'role.owner': 'Owner',
  'role.editor': 'Editor',
  'role.commenter': 'Commenter',
  'role.viewer': 'Viewer',
  'role.none': 'No role',

  'error.title': 'Error',
  'error.notFoundTitle': 'Page not found',
  'error.notFound': 'The page you requested does not exist.',
  'error.generic': 'An unexpected error occurred. Please try again later.',
  'error.backToRooms': 'Go to my data rooms',
  'error.invalidCredentials': 'The email address or password is incorrect.',
  'error.rateLimited': 'Too many attempts. Please wait {wait} and then try again.',
  'error.rateLimitedNoWait': 'Too many attempts. Please wait a moment and then try again.',
  'error.validationFailed': 'Please check your input.',
  'error.network': 'The server cannot be reached. Please check your connection and try again.',
  'error.unauthorized': 'Your session has expired. Please sign in again.',
  'error.forbidden': 'You are not allowed to perform this action.',
} satisfies Record<keyof typeof de, string>;
