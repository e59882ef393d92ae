// Shapes of the Nordraum HTTP API, all derived from the generated schema.d.ts so a changed route
// shows up here as a type error instead of a runtime surprise. Only names are defined locally.
import type { paths } from './schema.d.ts';

/** The JSON body of response `S` of operation `Op`. */
type Json<Op, S extends number = 200> = Op extends {
  responses: Record<S, { content: { 'application/json': infer B } }>;
}
  ? B
  : never;

/** The JSON request body of operation `Op`. */
type RequestJson<Op> = Op extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export type MeResponse = Json<paths['/me']['get']>;
export type LoginResponse = Json<paths['/auth/login']['post']>;
export type LoginRequest = RequestJson<paths['/auth/login']['post']>;
export type RoomsResponse = Json<paths['/rooms']['get']>;

export type User = MeResponse['user'];
export type UserLocale = User['locale'];
/** An organisation with its kind, as listed by GET /organizations. */
export type Organization = Json<paths['/organizations']['get']>['organizations'][number];
export type OrganizationKind = Organization['kind'];
/** The short reference to an organisation that rooms, members and users carry. */
export type OrganizationRef = User['organization'];
/** Kept for older imports: the organisation badge data of a room. */
export type RoomOrganization = OrganizationRef;

export type Room = RoomsResponse['rooms'][number];
export type RoomRole = NonNullable<Room['role']>;
export type Member = Json<paths['/rooms/{roomId}/members']['get']>['members'][number];
export type Grant = Json<paths['/rooms/{roomId}/grants']['get']>['grants'][number];
export type DirectoryUser = Json<paths['/users']['get']>['users'][number];

export type DocumentMeta = Json<paths['/rooms/{roomId}/documents']['get']>['documents'][number];
export type DocumentKind = DocumentMeta['kind'];
export type RecentDocument = Json<paths['/documents/recent']['get']>['documents'][number];

export type AdminUser = Json<paths['/admin/users']['get']>['users'][number];
export type AuditEntry = Json<paths['/admin/audit']['get']>['entries'][number];
export type AuditQuery = NonNullable<paths['/admin/audit']['get']['parameters']['query']>;

export type Invitation = Json<paths['/invitations']['get']>['invitations'][number];
export type CreatedInvitation = Json<paths['/invitations']['post'], 201>['invitation'];
export type PublicInvitation = Json<paths['/invitations/{token}']['get']>['invitation'];
export type PasswordResetLink = Json<paths['/admin/users/{userId}/password-reset']['post'], 201>;
export type Site = Json<paths['/site']['get']>;
export type SearchResponse = Json<paths['/search']['get']>;
export type SearchResult = SearchResponse['results'][number];

/** A meeting with agenda and participants (GET /meetings/{meetingId}). */
export type Meeting = Json<paths['/meetings/{meetingId}']['get']>['meeting'];
export type MeetingSummary = Json<paths['/rooms/{roomId}/meetings']['get']>['meetings'][number];
export type AgendaItem = Meeting['agenda'][number];
/** Someone who may read a room, with organisation code. */
export type RoomPerson = Json<paths['/rooms/{roomId}/people']['get']>['people'][number];
/** An entry of the decision register. */
export type Decision = Json<paths['/rooms/{roomId}/decisions']['get']>['decisions'][number];
export type DecisionStatus = Decision['status'];

/** What the preview of a spreadsheet import answers: columns, mapping, rows with their errors. */
export type ImportPreview = Json<paths['/rooms/{roomId}/imports/preview']['post']>;
/** A row of an import preview. */
export type ImportRow = ImportPreview['rows'][number];
/** Field → column of an action-list import. */
export type ImportMapping = ImportPreview['mapping'];
/** The answer of an import: the new document. */
export type ImportResult = Json<paths['/rooms/{roomId}/imports']['post'], 201>;
/** The 422 of an import whose rows are not all valid. */
export type ImportRefusal = Json<paths['/rooms/{roomId}/imports']['post'], 422>;
