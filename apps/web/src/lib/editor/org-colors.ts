// One fixed colour per organisation, so a person's caret looks the same on every screen and in
// every session. Each reaches at least 6.4:1 against white (WCAG relative luminance), so the
// white name on the caret label passes AA and the caret line stands out on the white page.
const ORGANIZATION_COLORS: Record<string, string> = {
  SH: '#1d4f91',
  MV: '#8c1d40',
  NI: '#6b3fa0',
  DATAPORT: '#00676b',
  DVZ: '#2e6b2f',
  ITN: '#8a4b08',
};

/** Neutral slate for organisations without a colour of their own. */
export const FALLBACK_COLOR = '#4a4f63';

/** The caret and badge colour of an organisation code such as "SH" (six-digit hex). */
export function organizationColor(code: string | undefined | null): string {
  return (code && ORGANIZATION_COLORS[code.toUpperCase()]) || FALLBACK_COLOR;
}
