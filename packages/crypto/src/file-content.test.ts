import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "./bytes.js";
import { InvalidInputError } from "./errors.js";
import { fileContentAssociatedData } from "./file-content.js";

describe("fileContentAssociatedData", () => {
  it("is the label, one zero byte and the file id, as SPEC §6.2 spells it", () => {
    const fileId = "f_AAAAAAAAAAAAAAAAAAAAAA";
    const expected = `${toHex(new TextEncoder().encode("umbra/v1/file-content"))}00${toHex(new TextEncoder().encode(fileId))}`;
    expect(toHex(fileContentAssociatedData(fileId))).toBe(expected);
    expect(fileContentAssociatedData(fileId)).toEqual(
      fromHex("756d6272612f76312f66696c652d636f6e74656e7400665f41414141414141414141414141414141414141414141"),
    );
  });

  it("refuses a missing id", () => {
    expect(() => fileContentAssociatedData("")).toThrow(InvalidInputError);
    expect(() => fileContentAssociatedData(undefined as unknown as string)).toThrow(InvalidInputError);
  });
});
