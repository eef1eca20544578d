import type { AlbumsKey } from "./albums.keys.js";

// Messages of the albums screens, in French.
export const albumsFr: Record<AlbumsKey, string> = {
  "albums.title": "Albums",
  "albums.newName": "Nom du nouvel album",
  "albums.create": "Créer l’album",
  "albums.items.one": "{count} élément",
  "albums.items.other": "{count} éléments",
  "albums.none": "Aucun album pour l’instant.",
  "albums.onlyHidden": "Tous les albums sont masqués.",
  "albums.hiddenBadge": "Masqué",
  "albums.showHidden.one": "Afficher {count} album masqué",
  "albums.showHidden.other": "Afficher {count} albums masqués",
  "albums.hideHidden": "Ne plus afficher les albums masqués",
  "albums.hiddenExplained":
    "Seuls vos appareils savent quels albums sont masqués ; le serveur ne peut pas le savoir.",
  "album.back": "Retour aux albums",
  "album.name": "Nom de l’album",
  "album.save": "Enregistrer",
  "album.cancel": "Annuler",
  "album.rename": "Renommer",
  "album.share": "Partager",
  "album.manage": "Gérer",
  "album.hide": "Masquer l’album",
  "album.unhide": "Afficher l’album",
  "album.hideExplained":
    "Un album masqué n’apparaît plus dans Albums, ni ses photos dans Photos, Souvenirs, Recherche et Lieux. Seuls vos appareils le savent.",
  "album.hiddenToast": "Album masqué : ses photos ne se voient plus qu’ici",
  "album.undo": "Annuler",
  "album.delete": "Supprimer l’album",
  "album.fromMembers.one": "{count} élément ajouté par les personnes avec qui vous partagez cet album.",
  "album.fromMembers.other": "{count} éléments ajoutés par les personnes avec qui vous partagez cet album.",
  "album.showEverything": "Tout afficher dans l’album",
  "album.deleteQuestion": "Supprimer l’album « {name} » ?",
  "album.deleteExplained.one":
    "Son élément ({count}) reste dans votre bibliothèque ; les personnes avec qui il est partagé le perdent.",
  "album.deleteExplained.other":
    "Ses {count} éléments restent dans votre bibliothèque ; les personnes avec qui il est partagé le perdent.",
  "album.isCover": "Couverture ✓",
  "album.makeCover": "Choisir comme couverture",
  "album.removeItem": "Retirer de l’album",
  "album.emptyTitle": "Cet album est vide",
  "album.empty":
    "Sélectionnez des photos dans Photos et choisissez Ajouter à un album, ou utilisez Ajouter à un album dans la visionneuse.",
  "album.goToPhotos": "Aller à Photos",
  "album.gone": "Cet album n’existe plus.",
} as const;
