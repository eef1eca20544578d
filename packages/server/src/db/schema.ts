import type { ColumnType, Generated } from "kysely";

type Optional<T> = ColumnType<T, T | undefined, T>;

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
  /** Bytes the user's files hold (content and thumbnails, trashed ones too), kept with every insert and delete. */
  used_bytes: number;
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
  /** Generation of the album key; bumped when the owner removes a member. */
  key_version: Generated<number>;
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
  /** Non-null while the file is a live recording: its last append (or its start); content_size grows meanwhile. */
  live_appended_at: Optional<string | null>;
}

export interface AlbumFilesTable {
  album_id: string;
  file_id: string;
  user_id: string;
  wrapped_file_key: string;
  added_seq: Generated<number>;
  /** Album key generation that wraps `wrapped_file_key`. */
  key_version: Generated<number>;
  /** The uploader's signature over the placement (shared albums; SPEC §17.4), as the client sent it. */
  content_digest: Optional<string | null>;
  signature: Optional<string | null>;
}

export interface AlbumMembersTable {
  album_id: string;
  user_id: string;
  role: "viewer" | "contributor";
  key_version: number;
  sealed_album_key: string;
  /** AlbumGrantWire JSON, signed by the owner; stored unread. */
  grant: string;
  created_at: string;
}

/** Album key `version` wrapped under the key of `version + 1`. */
export interface AlbumKeyChainTable {
  album_id: string;
  version: number;
  wrapped_key: string;
}

export interface LinksTable {
  id: string;
  user_id: string;
  kind: "album" | "file";
  target_id: string;
  wrapped_key: string;
  key_version: number;
  /** KdfParams JSON when the link has a password. */
  kdf: string | null;
  expires_at: string | null;
  allow_download: number;
  created_at: string;
  revoked_at: string | null;
  /** The album link's roster sealed under the link key (SPEC §18); null for file links and older links. */
  roster: Optional<string | null>;
}

export interface LibraryCheckpointsTable {
  user_id: string;
  counter: number;
  /** Sealed by the user's master key (SPEC §15); stored unread. */
  checkpoint: string;
  /** The checkpoint's sealed head (SPEC §15), written with it; null when it was written without one. */
  head: string | null;
  updated_at: string;
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
  album_members: AlbumMembersTable;
  album_key_chain: AlbumKeyChainTable;
  links: LinksTable;
  library_checkpoints: LibraryCheckpointsTable;
}
