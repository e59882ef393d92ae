// Response shapes of the Nordraum HTTP API as agreed with apps/server. Kept local so the web app
// never depends on server code.

export interface Organization {
  id: string;
  code: string;
  name: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  organization: Organization;
}

export type RoomRole = 'owner' | 'editor' | 'commenter' | 'viewer';

export interface RoomOrganization {
  code: string;
  name: string;
}

export interface Room {
  id: string;
  name: string;
  description: string | null;
  role: RoomRole | null;
  organizations: RoomOrganization[];
}

export interface MeResponse {
  user: User;
}

export interface LoginResponse {
  user: User;
}

export interface RoomsResponse {
  rooms: Room[];
}

export interface LoginRequest {
  email: string;
  password: string;
}
