import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CheckpointBody } from "./checkpoint-body.js";
import { parseCheckpointBody } from "./checkpoint-body-parse.js";

// "__proto__" is refused outright (below), where the schema drops it.
const id = fc.constantFrom("f_a", "f_b", "a_x", "constructor", "toString", "");
const loose = fc.oneof(
  fc.integer({ min: -2, max: 3 }),
  fc.double(),
  fc.string({ maxLength: 3 }),
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.string({ maxLength: 2 }), { maxLength: 2 }),
);
/** Mostly the right thing, now and then something else: both answers are reached. */
const mostly = <T, U>(right: fc.Arbitrary<T>, wrong: fc.Arbitrary<U>) =>
  fc.oneof({ arbitrary: right, weight: 12 }, { arbitrary: wrong, weight: 1 });
const entry = mostly(
  fc.tuple(
    fc.string({ maxLength: 4 }),
    fc.integer(),
    fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }),
  ),
  fc.oneof(fc.array(loose, { maxLength: 4 }), loose),
);
const versions = mostly(
  fc.dictionary(id, mostly(fc.integer({ min: 1, max: 9 }), loose), { maxKeys: 3 }),
  loose,
);
const body = fc.record(
  {
    v: mostly(fc.constant(1), loose),
    files: mostly(fc.dictionary(id, entry, { maxKeys: 3 }), loose),
    albums: versions,
    shared: versions,
    hidden: mostly(fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }), loose),
    extra: loose,
  },
  { requiredKeys: ["files"] },
);

describe("parseCheckpointBody", () => {
  it("accepts exactly what CheckpointBody accepts, with the same result", () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(body, loose), (value) => {
        // Through JSON, as a body is read (no undefined, no -0, keys as JSON gives them).
        const json: unknown = JSON.parse(JSON.stringify(value) ?? "null");
        const schema = CheckpointBody.safeParse(json);
        const plain = parseCheckpointBody(json);
        expect(plain !== undefined).toBe(schema.success);
        if (schema.success) {
          accepted++;
          expect(plain).toEqual(schema.data);
        }
      }),
      { numRuns: 3000 },
    );
    // The generator reaches well-formed bodies too, not only refusals.
    expect(accepted).toBeGreaterThan(30);
  });

  it("refuses a file entry of the wrong shape and takes a well-formed body", () => {
    const good = { v: 1, files: { f_a: ["d", 0, ["a_x"]] }, albums: { a_x: 2 } };
    expect(parseCheckpointBody(good)).toEqual({ ...good, shared: {}, hidden: [] });
    expect(parseCheckpointBody({ ...good, files: { f_a: ["d", 0, ["a_x"], 1] } })).toBeUndefined();
    expect(parseCheckpointBody({ ...good, albums: { a_x: 0 } })).toBeUndefined();
    expect(parseCheckpointBody({ ...good, v: 2 })).toBeUndefined();
    expect(
      parseCheckpointBody(JSON.parse('{"v":1,"files":{"__proto__":["d",0,[]]},"albums":{}}')),
    ).toBeUndefined();
  });
});
