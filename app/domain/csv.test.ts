import { describe, expect, it } from "vitest";
import { csvCell, csvDocument } from "./csv";

describe("csvCell", () => {
  it("prefixes and quotes every text cell a spreadsheet would run as a formula (OWASP's list)", () => {
    expect(csvCell("=HYPERLINK(\"http://evil\")")).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell("+1+1")).toBe(`"'+1+1"`);
    expect(csvCell("-2+3+cmd|' /C calc'!A0")).toBe(`"'-2+3+cmd|' /C calc'!A0"`);
    expect(csvCell("@SUM(A1:A2)")).toBe(`"'@SUM(A1:A2)"`);
    expect(csvCell("\t=1+1")).toBe(`"'\t=1+1"`);
    expect(csvCell("\r=1+1")).toBe(`"'\r=1+1"`);
  });

  it("guards a text cell that looks like a number: a name stays the text it was", () => {
    expect(csvCell("-12.50")).toBe(`"'-12.50"`);
    expect(csvCell("-12.50", "text")).toBe(`"'-12.50"`);
  });

  it("writes a plain number in a numeric column as a number, and guards anything else there", () => {
    expect(csvCell("-12.50", "number")).toBe("-12.50");
    expect(csvCell("0.0425", "number")).toBe("0.0425");
    expect(csvCell("1200", "number")).toBe("1200");
    expect(csvCell("", "number")).toBe("");
    expect(csvCell("-2+3+cmd|' /C calc'!A0", "number")).toBe(`"'-2+3+cmd|' /C calc'!A0"`);
    expect(csvCell("-1e5", "number")).toBe(`"'-1e5"`);
  });

  it("leaves ordinary text alone and quotes separators per RFC 4180", () => {
    expect(csvCell("Spring welcome")).toBe("Spring welcome");
    expect(csvCell("Tea, and more")).toBe(`"Tea, and more"`);
    expect(csvCell('The "gold" set')).toBe(`"The ""gold"" set"`);
    expect(csvCell("two\nlines")).toBe(`"two\nlines"`);
    expect(csvCell("a-b=c")).toBe("a-b=c");
  });
});

describe("csvDocument", () => {
  it("types each cell by its column and ends lines with CRLF", () => {
    const csv = csvDocument([{ name: "name", type: "text" }, { name: "amount", type: "number" }], [["-2+3", "-12.50"], ["=1", "=1"]]);
    expect(csv).toBe(`name,amount\r\n"'-2+3",-12.50\r\n"'=1","'=1"\r\n`);
  });
});
