// Messages of the sharing screens, in English (merged into the catalogue by en.ts).
export const sharingEn = {
  // Words more than one sharing screen uses.
  "share.cancel": "Cancel",
  "share.loading": "Loading…",
  "share.albumEmpty": "This album is empty.",
  "share.items.one": "{count} item",
  "share.items.other": "{count} items",
  "share.role.viewer": "Can view",
  "share.role.contributor": "Can add photos",

  // Shared with me: the albums other people shared with this account.
  "shared.title": "Shared with me",
  "shared.refresh": "Refresh",
  "shared.explain":
    "Albums other people shared with you. Their keys were sealed to this account only; the server cannot read them.",
  "shared.rejected.one":
    "{count} shared album is hidden: the invitation was not signed by the album's owner.",
  "shared.rejected.other":
    "{count} shared albums are hidden: the invitation was not signed by the album's owner.",
  "shared.from": "from {email}",
  "shared.canAdd": "Can add",
  "shared.showInTimeline": "Show in my timeline",
  "shared.empty": "Nothing has been shared with you yet.",
  "shared.inTimeline": "Its photos now appear in your timeline",
  "shared.outOfTimeline": "Removed from your timeline",
  "shared.hiddenToast": "Album hidden: it and its photos are out of your lists until you show it again",
  "shared.onlyHidden": "Every album shared with you is hidden.",

  // One album shared with this account (or the owner's own, as its members see it).
  "sharedAlbum.gone": "This album is no longer shared with you: its owner removed you or deleted it.",
  "sharedAlbum.backToShared": "Back to Shared with me",
  "sharedAlbum.back": "Back to shared albums",
  "sharedAlbum.untitled": "Shared album",
  "sharedAlbum.ownView": "Your album, as its members see it",
  "sharedAlbum.youCanView": "you can view",
  "sharedAlbum.youCanAdd": "you can add photos",
  "sharedAlbum.adding": "Encrypting and adding…",
  "sharedAlbum.addPhotos": "Add photos",
  "sharedAlbum.chooseFiles": "Choose photos to add to this shared album",
  "sharedAlbum.verify": "Verify {email}",
  "sharedAlbum.backToAlbum": "Back to album",
  "sharedAlbum.leaveQuestion": "Leave? You lose access until invited again.",
  "sharedAlbum.leave": "Leave",
  "sharedAlbum.leaveAlbum": "Leave album",
  "sharedAlbum.rejected.one": "⚠ {count} item hidden: not signed by a member.",
  "sharedAlbum.rejected.other": "⚠ {count} items hidden: not signed by a member.",
  "sharedAlbum.skipped.one": "{count} file(s) skipped: not a photo or video.",
  "sharedAlbum.skipped.other": "{count} file(s) skipped: not a photo or video.",
  "sharedAlbum.added.one": "Added {count} to “{name}”",
  "sharedAlbum.added.other": "Added {count} to “{name}”",
  "sharedAlbum.removed": "Removed “{name}” from the album (it stays in its uploader's library)",
  "sharedAlbum.left": "You left “{name}”",

  // A public link, opened with no account.
  "linkPage.brand": "Umbra",
  "linkPage.documentTitle": "{name} · Umbra",
  "linkPage.shared": "Shared",
  "linkPage.tagline": "End-to-end encrypted · decrypted in your browser",
  "linkPage.opening": "Opening the link…",
  "linkPage.protected": "This link is protected",
  "linkPage.passwordHint": "Enter the password you were given with the link.",
  "linkPage.password": "Password",
  "linkPage.wrongPassword": "Wrong password. Try again.",
  "linkPage.unlocking": "Unlocking…",
  "linkPage.open": "Open",
  "linkPage.goneTitle": "This link has expired or was revoked",
  "linkPage.goneHint": "Ask the person who shared it with you for a new link.",
  "linkPage.brokenTitle": "This link cannot be opened",
  "linkPage.brokenHint": "Check that the whole link was copied, including the part after “#”.",
  "linkPage.sharedFile": "Shared file",
  "linkPage.viewOnly": "view only",
  "linkPage.availableUntil": "available until {date}",
  "linkPage.unverified":
    "This link was made before Umbra could check who added each photo; ask the owner for a new link.",
  "linkPage.unreadable.one":
    "{count} item is hidden: not added by the album's owner or a member they allowed, or not readable with this link.",
  "linkPage.unreadable.other":
    "{count} items are hidden: not added by the album's owner or a member they allowed, or not readable with this link.",

  // The share dialog of an album the user owns.
  "share.title": "Share “{name}”",
  "share.close": "Close",
  "share.tab.people": "People",
  "share.tab.links": "Public links",

  // Its public links.
  "share.links.password": "Password",
  "share.links.optional": "(optional)",
  "share.links.expires": "Expires",
  "share.links.never": "Never",
  "share.links.days.one": "{count} day",
  "share.links.days.other": "{count} days",
  "share.links.allowDownload": "Allow downloading originals",
  "share.links.creating": "Creating…",
  "share.links.create": "Create public link",
  "share.links.anyone": "Anyone with this link can open the album",
  "share.links.copy": "Copy",
  "share.links.keyHint":
    "The key is the part after “#”: browsers never send it to the server, and Umbra cannot show this link again.",
  "share.links.active": "Active links",
  "share.links.none": "No public links to this album.",
  "share.links.created": "Created {date}",
  "share.links.neverExpires": "never expires",
  "share.links.expired": "expired",
  "share.links.expiresOn": "expires {date}",
  "share.links.withPassword": "password",
  "share.links.noPassword": "no password",
  "share.links.downloadAllowed": "download allowed",
  "share.links.viewOnly": "view only",
  "share.links.revoke": "Revoke",
  "share.links.copied": "Link copied",
  "share.links.copyByHand": "Press Ctrl+C (⌘C) to copy the selected link",
  "share.links.revoked": "Link revoked: it now shows “expired or revoked”",

  // Its members.
  "share.members.shareWith": "Share with",
  "share.members.emailPlaceholder": "Their Umbra email",
  "share.members.role": "Role",
  "share.members.share": "Share",
  "share.members.sealHint":
    "The album key is sealed to their public key on this device; the server never sees it.",
  "share.members.title": "People with access",
  "share.members.onlyYou": "Only you. Invite someone above.",
  "share.members.verify": "Verify",
  "share.members.remove": "Remove",
  "share.members.removeExplain":
    "Remove {email}? Umbra rotates the album key: photos added from now on are sealed under a new key they never get. What they already saw or downloaded cannot be taken back.",
  "share.members.removeAndRotate": "Remove and rotate key",
  "share.members.sharedViewBefore": "Photos members add appear in",
  "share.members.sharedViewLink": "the shared view",
  "share.members.sharedViewAfter": "of this album.",
  "share.members.shared": "Shared with {email} ({role})",
  "share.members.roleName.viewer": "viewer",
  "share.members.roleName.contributor": "contributor",
  "share.members.removed": "{email} removed; the album key was rotated",

  // Comparing safety numbers: before a first share, and when someone's keys changed.
  "share.contact.title": "Share with {email}?",
  "share.contact.changed":
    "The server presented other keys for {email} than the number you just compared. Nothing was shared. Compare this new number before you go on.",
  "share.contact.explain":
    "This is the first time this device shares with {email}. Compare this safety number with them in person or over a channel you trust (a call where you recognise their voice): they see it when they verify you. If it matches, the album key is sealed to them and nobody else, not even the server.",
  "share.contact.confirm": "It matches — share",
  "share.safety.label": "Safety number",
  "share.safety.qr": "QR code of the safety number",
  "share.safety.computing": "Computing the safety number…",
  "share.safety.compare":
    "Compare this number with {name} in person (they see the same one when they verify you), or scan their QR code. If it matches, nobody, not even the server, has swapped the keys the album key is sealed to.",
  "share.keyChanged.title": "⚠ {email}'s keys have changed",
  "share.keyChanged.explain":
    "The server now presents different keys for {email} than the ones this device verified before. Nothing was shared with them. This happens when they reset their account, but it is also what an attacker who controls the server would do to read your album.",
  "share.keyChanged.compare":
    "Before you go on, compare safety numbers with {email} in person or over a channel you trust (a call where you recognise their voice). Only continue if they confirm their keys changed.",
  "share.keyChanged.presented": "The safety number for the keys the server presents now:",
  "share.keyChanged.trust": "I verified the new safety number — trust",

  // The grid and viewer of shared albums and public links.
  "sharedGallery.empty": "Nothing here yet.",
  "sharedGallery.noPreviewTitle": "No preview",
  "sharedGallery.removeFromAlbum": "Remove from album",
  "sharedGallery.noPreview": "No preview for this file.",
  "sharedGallery.noPreviewDownload": "No preview for this file: download it to open it.",
} as const;
