// The message catalogue: every string the converted screens show, in English. Keys name the screen, then the
// thing; plural forms end in `.one` / `.other` (chosen by Intl.PluralRules), placeholders are `{name}`.
export const en = {
  "language.label": "Language",
  "login.title": "Log in to Umbra",
  "login.email": "Email",
  "login.password": "Password",
  "login.remember": "Stay unlocked in this tab",
  "login.submit": "Log in",
  "login.busy": "Opening…",
  "login.createAccount": "Create an account",
  "login.forgot": "Forgot your password?",
  "login.useRecovery": "Use your recovery phrase",
  "login.signedOutElsewhere": "This session was signed out from another device. Sign in again.",
  "unlock.title": "Vault locked",
  "unlock.signedInAs": "Signed in as {email}. Enter your password to unlock your keys.",
  "unlock.offline":
    "You are offline. Your library stays encrypted on this device; unlock once you are back online.",
  "unlock.password": "Password",
  "unlock.remember": "Stay unlocked in this tab",
  "unlock.submit": "Unlock",
  "unlock.busy": "Unlocking…",
  "unlock.logOut": "Log out",
  "recover.title": "Recover your vault",
  "recover.email": "Email",
  "recover.phrase": "Recovery phrase (24 words)",
  "recover.newPassword": "New password",
  "recover.submit": "Set new password",
  "recover.busy": "Recovering…",
  "recover.back": "Back to log in",
  "recover.doneTitle": "Password replaced",
  "recover.doneText": "Every other session was signed out. Log in with your new password.",
  "recover.logIn": "Log in",
  "phrase.fileTitle": "Umbra recovery phrase for {email}",
  "phrase.fileWarning": "Keep it offline. Anyone with it can open your vault.",
  "phrase.title": "Your recovery phrase",
  "phrase.explain":
    "These 24 words are the only way back into your vault if you forget your password. They are shown once and stored nowhere. Write them down and keep them offline.",
  "phrase.copied": "Copied",
  "phrase.copy": "Copy",
  "phrase.download": "Download",
  "phrase.saved": "I saved it",
  "phrase.confirmTitle": "Confirm your phrase",
  "phrase.word": "Word #{n}",
  "phrase.showAgain": "Show the phrase again",
  "phrase.open": "Open my vault",
  "toast.dismiss": "Dismiss",
  "count.photos.one": "{count} photo",
  "count.photos.other": "{count} photos",
} as const;

export type MessageKey = keyof typeof en;
/** A key of the catalogue, without its plural suffix: what `t` is called with. */
export type MessageName = MessageKey extends infer K
  ? K extends `${infer Base}.one` | `${infer Base}.other`
    ? Base
    : K
  : never;
