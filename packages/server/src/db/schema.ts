import type { Generated } from "kysely";

/** Times are ISO 8601 strings (sortable as text on both SQLite and PostgreSQL). */
export interface UsersTable {
  id: string;
  email: string;
  opaque_record: string;
  /** KeyBundle JSON: opaque base64url strings the server cannot read. */
  key_bundle: string;
  recovery_verifier: string;
  /** Last sequence number handed out for this user's changes (the sync cursor). */
  seq: number;
  created_at: string;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  token_hash: string;
  device_name: string;
  created_at: string;
  last_used_at: string;
  expires_at: string;
}

export interface AuthStatesTable {
  id: string;
  kind: "login" | "recovery";
  user_id: string | null;
  state: string;
  expires_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface AlbumsTable {
  id: string;
  user_id: string;
  kind: "library" | "user";
  encrypted_name: string;
  wrapped_album_key: string;
  created_at: string;
  updated_at: string;
  seq: number;
}

export interface FilesTable {
  id: string;
  user_id: string;
  /** Prefix of this file's blob ids (the upload id it was committed from); never reused. */
  blob_key: string;
  encrypted_metadata: string;
  content_size: number;
  grid_size: number;
  preview_size: number;
  created_at: string;
  updated_at: string;
  trashed_at: string | null;
  seq: number;
}

export interface AlbumFilesTable {
  album_id: string;
  file_id: string;
  user_id: string;
  wrapped_file_key: string;
  added_seq: Generated<number>;
}

export interface TombstonesTable {
  user_id: string;
  kind: "file" | "album";
  object_id: string;
  seq: number;
}

export interface UploadsTable {
  id: string;
  user_id: string;
  size: number;
  created_at: string;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  auth_states: AuthStatesTable;
  settings: SettingsTable;
  albums: AlbumsTable;
  files: FilesTable;
  album_files: AlbumFilesTable;
  tombstones: TombstonesTable;
  uploads: UploadsTable;
}
