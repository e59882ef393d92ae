// German is the reference catalogue: its keys define `MessageKey`, and its `{placeholders}` define
// which parameters `t()` requires. Keep values as literal types (`as const`) for that reason.
import { deAccount } from './areas/account.ts';
import { deActions } from './areas/actions.ts';
import { deAdmin } from './areas/admin.ts';
import { deComments } from './areas/comments.ts';
import { deEditor } from './areas/editor.ts';
import { deHistory } from './areas/history.ts';
import { deImports } from './areas/imports.ts';
import { deLegal } from './areas/legal.ts';
import { deMeetings } from './areas/meetings.ts';
import { deReviews } from './areas/reviews.ts';
import { deRoadmap } from './areas/roadmap.ts';
import { deRooms } from './areas/rooms.ts';
import { deSearch } from './areas/search.ts';
import { deTemplates } from './areas/templates.ts';

export const de = {
  ...deEditor,
  ...deRoadmap,
  ...deActions,
  ...deRooms,
  ...deImports,
  ...deAdmin,
  ...deAccount,
  ...deComments,
  ...deLegal,
  ...deHistory,
  ...deSearch,
  ...deMeetings,
  ...deReviews,
  ...deTemplates,
  'app.name': 'Nordraum',
  'app.tagline': 'Digitaler Datenraum der norddeutschen Länder',
  'app.skipToContent': 'Zum Inhalt springen',
  'app.footer': 'Nordraum – ein Angebot der Länder Schleswig-Holstein, Mecklenburg-Vorpommern und Niedersachsen',
  'app.pageTitle': '{page} – Nordraum',
  'app.redirecting': 'Sie werden weitergeleitet …',
  'app.retry': 'Erneut versuchen',
  'app.startTitle': 'Start',

  'app.loading': 'Wird geladen …',

  'nav.label': 'Hauptnavigation',
  'nav.rooms': 'Datenräume',
  'nav.myActions': 'Meine Aufgaben',
  'nav.myReviews': 'Meine Prüfungen',
  'nav.admin': 'Verwaltung',
  'nav.account': 'Mein Konto',
  'nav.breadcrumb': 'Sie sind hier',

  'footer.label': 'Rechtliches und Kontakt',
  'footer.imprint': 'Impressum',
  'footer.accessibility': 'Barrierefreiheit',
  'footer.contact': 'Kontakt',

  'kind.notes': 'Workshop-Protokoll',
  'kind.roadmap': 'Roadmap',
  'kind.actions': 'Maßnahmenliste',
  'kinds.notes': 'Workshop-Protokolle',
  'kinds.roadmap': 'Roadmaps',
  'kinds.actions': 'Maßnahmenlisten',

  'orgKind.land': 'Land',
  'orgKind.provider': 'IT-Dienstleister',
  'orgKind.other': 'Sonstige',

  'form.optional': '(optional)',
  'form.choose': 'Bitte wählen',
  'form.save': 'Speichern',
  'form.cancel': 'Abbrechen',
  'form.close': 'Schließen',
  'form.working': 'Bitte warten …',
  'form.actions': 'Aktionen',
  'form.required': 'Bitte füllen Sie dieses Feld aus.',
  'form.email': 'Bitte geben Sie eine gültige E-Mail-Adresse ein.',
  'form.minLength': 'Bitte geben Sie mindestens {count} Zeichen ein.',
  'form.maxLength': 'Bitte geben Sie höchstens {count} Zeichen ein.',
  'form.wrongPassword': 'Das Passwort ist nicht korrekt.',
  'form.passwordsDiffer': 'Die beiden Passwörter stimmen nicht überein.',
  'form.passwordRule':
    'Mindestens 12 und höchstens 128 Zeichen. Ein Satz, den Sie sich gut merken können, eignet sich gut.',
  'form.unknownOrganization': 'Diese Organisation gibt es nicht (mehr). Bitte wählen Sie eine andere.',
  'form.codeTaken': 'Dieses Kürzel ist bereits vergeben.',
  'form.emailTaken': 'Für diese E-Mail-Adresse gibt es bereits ein Konto.',
  'form.organizationCode': 'Bitte 2 bis 16 Zeichen: Großbuchstaben, Ziffern, Punkt oder Bindestrich.',
  'form.dateOrder': 'Das Enddatum liegt vor dem Anfangsdatum.',
  'form.dateFar':
    '{date} liegt mehr als {years} Jahre von heute entfernt, noch nicht gespeichert. Enter oder „Übernehmen“ speichert es, Escape verwirft es.',
  'form.dateFarConfirm': 'Übernehmen',
  'form.dateFarConfirmLabel': 'Datum {date} übernehmen',
  'form.dateFarSaveAgain':
    '{date} liegt mehr als {years} Jahre von heute entfernt. Bitte prüfen Sie das Datum; zum Übernehmen speichern Sie erneut.',
  'form.invalid': 'Bitte prüfen Sie diese Angabe.',

  'copy.button': 'Link kopieren',
  'copy.done': 'Der Link wurde in die Zwischenablage kopiert.',
  'copy.selected': 'Der Link ist markiert. Kopieren Sie ihn mit Strg+C.',

  'noAccess.title': 'Kein Zugriff oder nicht vorhanden',
  'noAccess.text':
    'Diesen Datenraum gibt es nicht, oder Sie haben keinen Zugriff darauf. Wenn Sie Zugriff brauchen, wenden Sie sich an die Leitung des Datenraums.',
  'noAccess.forbiddenTitle': 'Kein Zugriff',
  'noAccess.forbidden': 'Dieser Bereich steht nur Personen mit Administrationsrechten zur Verfügung.',

  'language.label': 'Sprache wählen',
  'language.de': 'Deutsch',
  'language.en': 'English',
  'language.saveFailed': 'Die Sprache gilt in diesem Browser, konnte aber nicht im Konto gespeichert werden.',

  'user.label': 'Angemeldet als',
  'user.organization': 'Organisation: {name}',
  'user.logout': 'Abmelden',
  'user.loggingOut': 'Abmeldung läuft …',
  'user.logoutTitle': 'Abmelden?',
  'user.forgetCopies': 'Kopien auf diesem Gerät löschen',
  'user.forgetCopiesHint':
    'Empfohlen an gemeinsam genutzten Rechnern: Die hier gespeicherten Dokumente und Seiten werden gelöscht. Noch nicht übertragene Änderungen gehen dabei verloren.',

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
  'login.passwordReset': 'Ihr Passwort wurde geändert. Bitte melden Sie sich mit dem neuen Passwort an.',

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
  'error.conflict': 'Die Aktion ist im aktuellen Zustand nicht möglich. Bitte laden Sie die Seite neu.',
  'error.passagePending':
    'Die Textstelle ist noch nicht beim Server angekommen. Bitte warten Sie, bis das Dokument synchronisiert ist, und senden Sie dann erneut.',
  'error.emailTaken': 'Für diese E-Mail-Adresse gibt es bereits ein Konto.',
  'error.notFoundAction': 'Das gesuchte Element gibt es nicht mehr. Bitte laden Sie die Seite neu.',
} as const;
