import { abiVersion } from "../index";

describe("abi", () => {
  it("reports its version", () => {
    expect(abiVersion()).toBe(1);
  });
});
