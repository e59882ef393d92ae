// Messages of the legally required pages (accessibility statement, imprint, contact), German
// first (the reference) and English; merged into ../de.ts and ../en.ts. Keys start with 'a11y.',
// 'imprint.' or 'contact.'. The German statement follows the model of the EU implementing
// decision 2018/1523 as BITV 2.0 § 7 asks; review it whenever the limitations change.
export const deLegal = {
  'a11y.title': 'Erklärung zur Barrierefreiheit',
  'a11y.intro':
    'Die Betreiber von Nordraum sind bemüht, die Anwendung im Einklang mit dem Behindertengleichstellungsgesetz (BGG) und der Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) zur Umsetzung der Richtlinie (EU) 2016/2102 barrierefrei zugänglich zu machen.',
  'a11y.scope':
    'Diese Erklärung gilt für die Webanwendung Nordraum, den gemeinsamen Datenraum der Länder Schleswig-Holstein, Mecklenburg-Vorpommern und Niedersachsen, einschließlich Anmeldung, Datenräumen, Dokumenten und Verwaltung.',
  'a11y.statusHeading': 'Stand der Vereinbarkeit mit den Anforderungen',
  'a11y.status':
    'Nordraum ist wegen der folgenden Unvereinbarkeiten teilweise mit den Anforderungen der BITV 2.0 (WCAG 2.1, Konformitätsstufe AA) vereinbar.',
  'a11y.limitsHeading': 'Nicht barrierefreie Inhalte',
  'a11y.limits.carets':
    'Im gemeinsamen Editor werden die Schreibmarken und Markierungen anderer Personen nur visuell angezeigt. Screenreader kündigen nicht an, wo andere gerade schreiben; wer im Dokument anwesend ist, steht aber als Text in der Liste der Anwesenden.',
  'a11y.limits.caretColours':
    'Die Schreibmarken verschiedener Personen unterscheiden sich vor allem durch ihre Farbe; der Name erscheint nur neben der Schreibmarke.',
  'a11y.limits.userContent':
    'Inhalte, die Nutzende selbst erstellen (etwa Tabellen ohne Überschriftenzeile oder unklare Linktexte), werden nicht automatisch auf Barrierefreiheit geprüft.',
  'a11y.limits.wideTables':
    'Breite Tabellen in der Verwaltung, zum Beispiel das Protokoll, müssen bei starker Vergrößerung waagerecht gescrollt werden.',
  'a11y.limits.signLanguage':
    'Erläuterungen in Deutscher Gebärdensprache und in Leichter Sprache (§ 4 BITV 2.0) sind noch nicht vorhanden.',
  'a11y.working': 'Wir arbeiten daran, diese Einschränkungen zu beheben.',
  'a11y.methodHeading': 'Erstellung dieser Erklärung',
  'a11y.date': 'Diese Erklärung wurde am {date} erstellt.',
  'a11y.method':
    'Sie beruht auf einer Selbstbewertung: Jede Seite wird bei jeder Änderung automatisiert mit axe-core gegen WCAG 2.1 A und AA geprüft, zentrale Abläufe werden mit der Tastatur allein getestet. Eine Prüfung durch eine unabhängige Stelle hat noch nicht stattgefunden.',
  'a11y.feedbackHeading': 'Feedback und Kontaktangaben',
  'a11y.feedback':
    'Sind Ihnen Mängel beim barrierefreien Zugang zu Inhalten von Nordraum aufgefallen, oder benötigen Sie Inhalte in barrierefreier Form? Dann melden Sie sich bitte:',
  'a11y.feedbackAnswer': 'Wir bemühen uns, Ihre Anfrage zeitnah zu beantworten.',
  'a11y.enforcementHeading': 'Durchsetzungsverfahren',
  'a11y.enforcement':
    'Wenn Sie auf Ihre Rückmeldung an die oben genannte Kontaktstelle keine zufriedenstellende Antwort erhalten haben, können Sie sich an die Schlichtungsstelle nach § 16 BGG wenden. Sie unterstützt bei Konflikten zur Barrierefreiheit zwischen Menschen mit Behinderungen und öffentlichen Stellen eine außergerichtliche Streitbeilegung.',
  'a11y.enforcementFree': 'Das Schlichtungsverfahren ist kostenlos. Sie brauchen keinen Rechtsbeistand.',
  'a11y.enforcementMore':
    'Weitere Informationen und Antragsformulare finden Sie auf der Website der Schlichtungsstelle:',
  'a11y.enforcementStates':
    'Für Stellen der Länder können zusätzlich die Durchsetzungs- und Ombudsstellen nach dem jeweiligen Landesrecht zuständig sein.',

  'imprint.title': 'Impressum',
  'imprint.missing': 'Der Betreiber dieser Nordraum-Installation hat noch kein Impressum hinterlegt.',
  'imprint.operatorHint':
    'Hinweis für den Betrieb: Das Impressum wird mit der Einstellung NORDRAUM_IMPRINT oder NORDRAUM_IMPRINT_FILE hinterlegt.',

  'contact.title': 'Kontakt',
  'contact.intro':
    'Fragen, Hinweise oder Probleme mit Nordraum, auch zur Barrierefreiheit, senden Sie bitte an den Betrieb.',
  'contact.emailLabel': 'E-Mail:',
  'contact.fallback':
    'Der Betrieb hat noch keine Kontaktadresse hinterlegt. Bitte wenden Sie sich an die Administration Ihrer Organisation oder an Ihren IT-Dienstleister (Dataport, DVZ M-V oder IT.Niedersachsen).',
  'contact.rooms': 'Bei Fragen zu einem bestimmten Datenraum hilft Ihnen dessen Leitung.',
  'contact.toStatement': 'Zur Erklärung zur Barrierefreiheit',
} as const;

export const enLegal = {
  'a11y.title': 'Accessibility statement',
  'a11y.intro':
    'The operators of Nordraum strive to make the application accessible in accordance with the German Disability Equality Act (BGG) and the Accessible Information Technology Ordinance (BITV 2.0), which implement Directive (EU) 2016/2102.',
  'a11y.scope':
    'This statement applies to the Nordraum web application, the shared data room of the states of Schleswig-Holstein, Mecklenburg-Vorpommern and Lower Saxony, including sign-in, data rooms, documents and administration.',
  'a11y.statusHeading': 'Compliance status',
  'a11y.status':
    'Nordraum is partially compliant with the requirements of BITV 2.0 (WCAG 2.1, level AA) due to the non-compliances listed below.',
  'a11y.limitsHeading': 'Non-accessible content',
  'a11y.limits.carets':
    'In the shared editor, other people’s cursors and selections are shown visually only. Screen readers do not announce where others are writing; who is present is listed as text, though.',
  'a11y.limits.caretColours':
    'Cursors of different people are told apart mainly by colour; the name appears only next to the cursor.',
  'a11y.limits.userContent':
    'Content created by users (such as tables without a header row or unclear link texts) is not checked for accessibility automatically.',
  'a11y.limits.wideTables':
    'Wide tables in the administration area, such as the audit log, need horizontal scrolling at high zoom levels.',
  'a11y.limits.signLanguage':
    'Explanations in German Sign Language and in Easy Language (§ 4 BITV 2.0) are not available yet.',
  'a11y.working': 'We are working on removing these limitations.',
  'a11y.methodHeading': 'Preparation of this statement',
  'a11y.date': 'This statement was prepared on {date}.',
  'a11y.method':
    'It is based on a self-assessment: every page is tested automatically with axe-core against WCAG 2.1 A and AA on every change, and key tasks are tested with the keyboard alone. No independent audit has taken place yet.',
  'a11y.feedbackHeading': 'Feedback and contact information',
  'a11y.feedback':
    'Have you found barriers in Nordraum, or do you need content in an accessible form? Please get in touch:',
  'a11y.feedbackAnswer': 'We aim to answer your request promptly.',
  'a11y.enforcementHeading': 'Enforcement procedure',
  'a11y.enforcement':
    'If you have not received a satisfactory answer from the contact above, you can turn to the conciliation body under § 16 BGG (Schlichtungsstelle BGG). It supports out-of-court settlement of accessibility disputes between people with disabilities and public bodies.',
  'a11y.enforcementFree': 'The conciliation procedure is free of charge. You do not need legal representation.',
  'a11y.enforcementMore': 'More information and application forms are available on the conciliation body’s website:',
  'a11y.enforcementStates':
    'For bodies of the states, the enforcement and ombudsman offices under the respective state law may also be responsible.',

  'imprint.title': 'Imprint',
  'imprint.missing': 'The operator of this Nordraum installation has not provided an imprint yet.',
  'imprint.operatorHint': 'Note for operators: set the imprint with NORDRAUM_IMPRINT or NORDRAUM_IMPRINT_FILE.',

  'contact.title': 'Contact',
  'contact.intro':
    'Please send questions, suggestions or problems with Nordraum, including accessibility, to the operators.',
  'contact.emailLabel': 'Email:',
  'contact.fallback':
    'The operators have not provided a contact address yet. Please contact the administrators of your organisation or your IT provider (Dataport, DVZ M-V or IT.Niedersachsen).',
  'contact.rooms': 'For questions about a particular data room, please ask its owner.',
  'contact.toStatement': 'Go to the accessibility statement',
} satisfies Record<keyof typeof deLegal, string>;
