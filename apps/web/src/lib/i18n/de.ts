// German is the reference catalogue: its keys define `MessageKey`, and its `{placeholders}` define
// which parameters `t()` requires. Keep values as literal types (`as const`) for that reason.
import { deAdmin } from './areas/admin.ts';
import { deEditor } from './areas/editor.ts';
import { deRooms } from './areas/rooms.ts';

export const de = {
  ...deEditor,
  ...deRooms,
  ...deAdmin,
  'app.name': 'Nordraum',
  'app.tagline': 'Digitaler Datenraum der norddeutschen Länder',
  'app.skipToContent': 'Zum Inhalt springen',
  'app.footer': 'Nordraum – ein Angebot der Länder Schleswig-Holstein und Mecklenburg-Vorpommern',
  'app.pageTitle': '{page} – Nordraum',
  'app.redirecting': 'Sie werden weitergeleitet …',
  'app.retry': 'Erneut versuchen',
  'app.startTitle': 'Start',

  'language.label': 'Sprache wählen',
  'language.de': 'Deutsch',
  'language.en': 'English',

  'user.label': 'Angemeldet als',
  'user.organization': 'Organisation: {name}',
  'user.logout': 'Abmelden',
  'user.loggingOut': 'Abmeldung läuft …',

  'login.title': 'Anmelden',
  'login.intro': 'Melden Sie sich mit Ihrer dienstlichen E-Mail-Adresse an.',
  'login.email': 'E-Mail-Adresse',
  'login.password': 'Passwort',
  'login.submit': 'Anmelden',
  'login.submitting': 'Anmeldung läuft …',
  'login.emailRequired': 'Bitte geben Sie Ihre E-Mail-Adresse ein.',
  'login.passwordRequired': 'Bitte geben Sie Ihr Passwort ein.',
  'login.failedTitle': 'Anmeldung nicht möglich',
  'login.sessionExpired': 'Bitte melden Sie sich an, um fortzufahren.',

  'rooms.title': 'Meine Datenräume',
  'rooms.intro': 'Datenräume, in denen Sie Mitglied sind.',
  'rooms.empty': 'Sie sind noch in keinem Datenraum Mitglied.',
  'rooms.loading': 'Datenräume werden geladen …',
  'rooms.loadFailedTitle': 'Datenräume konnten nicht geladen werden',
  'rooms.role': 'Ihre Rolle',
  'rooms.organizations': 'Beteiligte Organisationen',
  'rooms.noDescription': 'Keine Beschreibung vorhanden.',

  // Functional nouns instead of gender star or slash forms: screen readers read "*" and "/" aloud,
  // and the neutral forms stay short enough for a badge.
  'role.owner': 'Leitung',
  'role.editor': 'Bearbeitung',
  'role.commenter': 'Kommentierung',
  'role.viewer': 'Lesezugriff',
  'role.none': 'Keine Rolle',

  'error.title': 'Fehler',
  'error.notFoundTitle': 'Seite nicht gefunden',
  'error.notFound': 'Die aufgerufene Seite gibt es nicht.',
  'error.generic': 'Es ist ein unerwarteter Fehler aufgetreten. Bitte versuchen Sie es später erneut.',
  'error.backToRooms': 'Zu meinen Datenräumen',
  'error.invalidCredentials': 'E-Mail-Adresse oder Passwort ist falsch.',
  'error.rateLimited': 'Zu viele Versuche. Bitte warten Sie {wait} und versuchen Sie es dann erneut.',
  'error.rateLimitedNoWait': 'Zu viele Versuche. Bitte warten Sie einen Moment und versuchen Sie es dann erneut.',
  'error.validationFailed': 'Bitte prüfen Sie Ihre Eingaben.',
  'error.network': 'Der Server ist nicht erreichbar. Bitte prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
  'error.unauthorized': 'Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.',
  'error.forbidden': 'Sie haben keine Berechtigung für diese Aktion.',
} as const;
