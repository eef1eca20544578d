export { THUMBNAIL_BATCH_MAX } from "@umbra/protocol";
export type { Session } from "./account.js";
export { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF, retryAfterMs } from "./backoff.js";
export { type LibraryDiscrepancies, noDiscrepancies } from "./checkpoint-body.js";
export { UmbraClient, type UmbraClientOptions } from "./client.js";
export { type Contact, Contacts, KeyChangedError } from "./contacts.js";
export { contentSegmentSize, VIDEO_SEGMENT_SIZE } from "./content-segment-size.js";
export {
  type DownloadResult,
  decodeThumbnail,
  downloadThumbnail,
  guardedBody,
  type ThumbnailBatchRequest,
  type ThumbnailOptions,
  type ThumbnailRequest,
  thumbnailBatchRequest,
  thumbnailRequest,
} from "./download.js";
export {
  ApiError,
  type ApiErrorCode,
  type ClientCheckCode,
  type ClientErrorCode,
  errorCode,
  InvalidResponseError,
  LockedError,
  NetworkError,
  UmbraClientError,
  type UmbraErrorCode,
} from "./errors.js";
export { apiErrorFrom, type FetchLike, HttpTransport, type ReadAnswer } from "./http.js";
export { IdentityMissingError } from "./identity.js";
export {
  contentAssociatedData,
  decryptFileMetadata,
  LIBRARY_ALBUM_NAME,
  unlockMasterKeyWithPassword,
  unlockMasterKeyWithRecovery,
  unwrapAlbumKeyFor,
  unwrapFileKeyFor,
  validateKeyBundle,
} from "./keys.js";
export { type AlbumEntry, type FileEntry, Library, type MetadataBatch } from "./library.js";
export { LibraryCheckpoint } from "./library-checkpoint.js";
export { linkUrl, parseLinkUrl } from "./link-url.js";
export { type CreatedLink, type CreateLinkOptions, Links } from "./links.js";
export type { LiveAppendOptions } from "./live-append-sender.js";
export type { LiveReader, LiveReaderOptions } from "./live-reader.js";
export type { LiveRecoveryOptions, RecoveredRecording } from "./live-recovery.js";
export type { LiveFinishOptions, LiveStartOptions, LiveUpload } from "./live-upload.js";
export { LiveUploads } from "./live-uploads.js";
export { libraryMediaStream, type MediaStreamSource, openMediaStream } from "./media-stream.js";
export {
  FileMetadata,
  isMediaMime,
  type MediaHooks,
  type MediaInfo,
  type MetadataEdit,
  mimeFromName,
  type Thumbnails,
  type UploadSource,
} from "./metadata.js";
export { type ProgressSnapshot, ProgressTracker } from "./progress.js";
export { type LinkFileEntry, PublicLink } from "./public-link.js";
export {
  inThreadDecryptor,
  type MetadataJob,
  type MetadataOutcome,
  type RecordDecryptor,
} from "./record-decrypt.js";
export { isRecordFault, RejectedRecords } from "./rejected-records.js";
export {
  type AddRenditionOptions,
  checkRenditionLength,
  RENDITION_LABEL,
  RenditionInfo,
  type RenditionSource,
  renditionAssociatedData,
  renditionCiphertextLength,
  renditionInfoOf,
} from "./rendition.js";
export {
  openRenditionStream,
  type RenditionLocation,
  readRendition,
  streamRendition,
} from "./rendition-read.js";
export { Renditions } from "./renditions.js";
export { KeyRollbackError, SeenState, SyncRollbackError } from "./seen-state.js";
export { type SharedFileEntry, SharedFiles } from "./shared-files.js";
export {
  type AlbumRole,
  type MemberEntry,
  type RejectedRecord,
  type SharedAlbumEntry,
  Sharing,
} from "./sharing.js";
export { type KeyValueStore, MemoryStore } from "./store.js";
export {
  emptySyncState,
  MemorySyncState,
  type PullOptions,
  pullChanges,
  type SyncState,
  type SyncStateCache,
} from "./sync-cache.js";
export type { UploadEvent, UploadOptions, UploadSummary } from "./upload.js";
export { type ByteSource, blobByteSource, type VideoDate, videoCreationDate } from "./video-date.js";
export { type ClientWarning, type WarningCode, Warnings } from "./warnings.js";
