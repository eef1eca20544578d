import { toBase64Url, toHex } from "../../src/bytes.js";
import { generateIdWith } from "../../src/ids.js";
import { generateIdentityWith } from "../../src/sharing/identity.js";
import { sealLinkOwnerWith, signLinkRoster } from "../../src/sharing/link-roster.js";
import { recorder, seededRandom } from "../../src/vector-randomness.js";
import { write } from "./common.js";

/** Link rosters (SPEC §18): the owner key sealed under the link key, and the owner's Ed25519 roster signature. */
export async function linkRosterVectors(): Promise<void> {
  const rng = recorder(seededRandom("umbra/v1/test-vectors/link-roster"));
  const linkKey = rng.random(32);
  const owner = await generateIdentityWith(rng.random);
  const contributor = await generateIdentityWith(rng.random);
  rng.take();
  const linkId = `l_${toBase64Url(seededRandom("roster/link")(16))}`;
  const albumId = generateIdWith(seededRandom("roster/album"), "a");
  const ownerId = generateIdWith(seededRandom("roster/owner"), "u");
  const contributorId = generateIdWith(seededRandom("roster/contributor"), "u");
  const sealedOwner = await sealLinkOwnerWith(
    rng.random,
    linkKey,
    linkId,
    albumId,
    ownerId,
    owner.signing.publicKey,
  );
  const random = rng.take();
  const roster = await signLinkRoster(owner.signing.privateKey, {
    linkId,
    albumId,
    ownerId,
    issuedAt: "2026-11-29T00:00:00.000Z",
    contributors: [
      {
        userId: contributorId,
        signingPublicKey: toBase64Url(contributor.signing.publicKey),
        grant: { example: true },
      },
    ],
  });
  write(
    "link-roster.json",
    "Link roster: owner key sealed under the link key; owner-signed contributor list",
    {
      positive: [
        {
          linkKey: toHex(linkKey),
          linkId,
          albumId,
          ownerId,
          ownerSigningPrivateKey: toHex(owner.signing.privateKey),
          ownerSigningPublicKey: toHex(owner.signing.publicKey),
          random,
          sealedOwner: toHex(sealedOwner),
          roster,
        },
      ],
    },
  );
}
