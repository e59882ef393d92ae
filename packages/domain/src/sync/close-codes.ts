/**
 * Every websocket close code Nordraum's sync endpoint uses, in one table. Clients (and operators
 * reading logs) can rely on these; the reason text adds detail for people.
 *
 * | code | name                | when                                                            |
 * |------|---------------------|-----------------------------------------------------------------|
 * | 1003 | unsupportedData     | a text frame, or a message type the protocol does not know      |
 * | 1007 | invalidPayload      | a frame that does not decode, an invalid Yjs or awareness update|
 * | 1008 | policyViolation     | awareness or an edit for a Yjs client id that another user owns |
 * |      |                     | (wrote with, or held before), or more client ids than allowed   |
 * | 1009 | messageTooBig       | a frame over the size limit, an awareness state over its limit  |
 * | 1011 | internalError       | the update could not be stored; the client reconnects and resends|
 * | 1012 | serviceRestart      | the server is shutting down; reconnect (to another instance)    |
 * | 1013 | tryAgainLater       | too many frames beyond the rate, a peer that does not read what |
 * |      |                     | it is sent, or too many connections of the user or address      |
 * | 4100 | readOnly            | the user may now only read (role lowered, document archived);   |
 * |      |                     | reconnect to read on                                            |
 * | 4401 | unauthorized        | the session ended (logout, expiry, account disabled)            |
 * | 4403 | forbidden           | the user lost access to the document's room                     |
 * | 4404 | notFound            | the document was deleted                                        |
 */
export const closeCodes = {
  unsupportedData: 1003,
  invalidPayload: 1007,
  policyViolation: 1008,
  messageTooBig: 1009,
  internalError: 1011,
  serviceRestart: 1012,
  tryAgainLater: 1013,
  readOnly: 4100,
  unauthorized: 4401,
  forbidden: 4403,
  notFound: 4404,
} as const;

export type CloseCode = (typeof closeCodes)[keyof typeof closeCodes];

/** The codes that end a connection whose access is gone: the client stops reconnecting on them. */
export type AccessCloseCode = typeof closeCodes.unauthorized | typeof closeCodes.forbidden | typeof closeCodes.notFound;
