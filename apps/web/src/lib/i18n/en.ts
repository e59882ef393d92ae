// `satisfies` makes a missing or misspelt key a type error while keeping the literal values.
import { enAccount } from './areas/account.ts';
import { enActions } from './areas/actions.ts';
import { enAdmin } from './areas/admin.ts';
import { enComments } from './areas/comments.ts';
import { enEditor } from './areas/editor.ts';
import { enHistory } from './areas/history.ts';
import { enImports } from './areas/imports.ts';
import { enLegal } from './areas/legal.ts';
import { enMeetings } from './areas/meetings.ts';
import { enReviews } from './areas/reviews.ts';
import { enRoadmap } from './areas/roadmap.ts';
import { enRooms } from './areas/rooms.ts';
import { enSearch } from './areas/search.ts';
import { enTemplates } from './areas/templates.ts';
import type { de } from './de.ts';

export const en = {
  ...enEditor,
  ...enRoadmap,
  ...enActions,
  ...enRooms,
  ...enImports,
  ...enAdmin,
  ...enAccount,
  ...enComments,
  ...enLegal,
  ...enHistory,
  ...enSearch,
  ...enMeetings,
  ...enReviews,
  ...enTemplates,
  'app.name': 'Nordraum',
  'app.tagline': 'Digital data room of the northern German states',
  'app.skipToContent': 'Skip to main content',
  'app.footer': 'Nordraum – a service of the states of Schleswig-Holstein, Mecklenburg-Vorpommern and Lower Saxony',
  'app.pageTitle': '{page} – Nordraum',
  'app.redirecting': 'Redirecting …',
  'app.retry': 'Try again',
  'app.startTitle': 'Start',

  'app.loading': 'Loading …',

  'nav.label': 'Main navigation',
  'nav.rooms': 'Data rooms',
  'nav.myActions': 'My actions',
  'nav.myReviews': 'My reviews',
  'nav.admin': 'Administration',
  'nav.account': 'My account',
  'nav.breadcrumb': 'You are here',

  'footer.label': 'Legal and contact',
  'footer.imprint': 'Imprint',
  'footer.accessibility': 'Accessibility',
  'footer.contact': 'Contact',

  'kind.notes': 'Workshop notes',
  'kind.roadmap': 'Roadmap',
  'kind.actions': 'Action list',
  'kinds.notes': 'Workshop notes',
  'kinds.roadmap': 'Roadmaps',
  'kinds.actions': 'Action lists',

  'orgKind.land': 'State',
  'orgKind.provider': 'IT provider',
  'orgKind.other': 'Other',

  'form.optional': '(optional)',
  'form.choose': 'Please choose',
  'form.save': 'Save',
  'form.cancel': 'Cancel',
  'form.close': 'Close',
  'form.working': 'Please wait …',
  'form.actions': 'Actions',
  'form.required': 'Please fill in this field.',
  'form.email': 'Please enter a valid email address.',
  'form.minLength': 'Please enter at least {count} characters.',
  'form.maxLength': 'Please enter at most {count} characters.',
  'form.wrongPassword': 'The password is not correct.',
  'form.passwordsDiffer': 'The two passwords do not match.',
  'form.passwordRule': 'At least 12 and at most 128 characters. A sentence you can remember works well.',
  'form.unknownOrganization': 'This organisation does not exist (any more). Please choose another one.',
  'form.codeTaken': 'This code is already in use.',
  'form.emailTaken': 'There is already an account with this email address.',
  'form.organizationCode': 'Please use 2 to 16 characters: capital letters, digits, dots or hyphens.',
  'form.dateOrder': 'The end date is before the start date.',
  'form.dateFar':
    '{date} is more than {years} years from today, not saved yet. Enter or “Keep” saves it, Escape drops it.',
  'form.dateFarConfirm': 'Keep',
  'form.dateFarConfirmLabel': 'Keep the date {date}',
  'form.dateFarSaveAgain':
    '{date} is more than {years} years from today. Please check the date; to keep it, save again.',
  'form.invalid': 'Please check this entry.',

  'copy.button': 'Copy link',
  'copy.done': 'The link has been copied to the clipboard.',
  'copy.selected': 'The link is selected. Copy it with Ctrl+C.',

  'noAccess.title': 'No access or does not exist',
  'noAccess.text':
    'This data room does not exist, or you do not have access to it. If you need access, please contact the owner of the data room.',
  'noAccess.forbiddenTitle': 'No access',
  'noAccess.forbidden': 'This area is only available to people with administrator permissions.',

  'language.label': 'Choose language',
  'language.de': 'Deutsch',
  'language.en': 'English',
  'language.saveFailed': 'The language applies in this browser but could not be saved with your account.',

  'user.label': 'Signed in as',
  'user.organization': 'Organisation: {name}',
  'user.logout': 'Sign out',
  'user.loggingOut': 'Signing out …',
  'user.logoutTitle': 'Sign out?',
  'user.forgetCopies': 'Delete the copies on this device',
  'user.forgetCopiesHint':
    'Recommended on shared computers: the documents and pages kept here are deleted. Changes not yet sent are lost.',

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
  'login.passwordReset': 'Your password has been changed. Please sign in with the new password.',

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
  'error.conflict': 'This is not possible in the current state. Please reload the page.',
  'error.passagePending':
    'The passage has not reached the server yet. Please wait until the document is synchronised, then send again.',
  'error.emailTaken': 'There is already an account with this email address.',
  'error.notFoundAction': 'The item no longer exists. Please reload the page.',
} satisfies Record<keyof typeof de, string>;
