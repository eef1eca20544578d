import type { MessageKey } from "./en.js";

// French: the second language, proof that every converted string goes through the catalogue.
export const fr: Record<MessageKey, string> = {
  "language.label": "Langue",
  "login.title": "Se connecter à Umbra",
  "login.email": "E-mail",
  "login.password": "Mot de passe",
  "login.remember": "Rester déverrouillé dans cet onglet",
  "login.submit": "Se connecter",
  "login.busy": "Ouverture…",
  "login.createAccount": "Créer un compte",
  "login.forgot": "Mot de passe oublié ?",
  "login.useRecovery": "Utiliser votre phrase de récupération",
  "unlock.title": "Coffre verrouillé",
  "unlock.signedInAs":
    "Connecté en tant que {email}. Saisissez votre mot de passe pour déverrouiller vos clés.",
  "unlock.offline":
    "Vous êtes hors ligne. Votre photothèque reste chiffrée sur cet appareil ; déverrouillez-la une fois de retour en ligne.",
  "unlock.password": "Mot de passe",
  "unlock.remember": "Rester déverrouillé dans cet onglet",
  "unlock.submit": "Déverrouiller",
  "unlock.busy": "Déverrouillage…",
  "unlock.logOut": "Se déconnecter",
  "recover.title": "Récupérer votre coffre",
  "recover.email": "E-mail",
  "recover.phrase": "Phrase de récupération (24 mots)",
  "recover.newPassword": "Nouveau mot de passe",
  "recover.submit": "Définir le nouveau mot de passe",
  "recover.busy": "Récupération…",
  "recover.back": "Retour à la connexion",
  "recover.doneTitle": "Mot de passe remplacé",
  "recover.doneText":
    "Toutes les autres sessions ont été déconnectées. Connectez-vous avec votre nouveau mot de passe.",
  "recover.logIn": "Se connecter",
  "toast.dismiss": "Fermer",
  "count.photos.one": "{count} photo",
  "count.photos.other": "{count} photos",
};
