import { listParams, parseFollowUpListQuery, parseMemberListQuery, parseMessageListQuery, sortParams } from "./list-query";
import { nameNames, parseViewQuery, searchNames, viewParams, viewQuery, withoutSearch } from "./list-views";

describe("a saved view is the URL's filters, sort and search", () => {
  it("keeps what the view is and drops where the reader is (page, cursor, an opened row, the saved view's own id) and what the admin adds", () => {
    const url = new URLSearchParams("page=3&saved=abc&tier=gold&q=smith&cursor=xyz&before=b&message=m1&sort=orders&embedded=1&host=YWRtaW4&shop=a.myshopify.com&locale=zh-CN&id_token=x.y.z");
    expect(viewQuery(url)).toBe("q=smith&sort=orders&tier=gold");
  });

  it("is the same view whatever order the params came in, and repeated filters keep their order", () => {
    expect(viewQuery(new URLSearchParams("reason=winBack&due=today&reason=thinFile"))).toBe(viewQuery(new URLSearchParams("due=today&reason=winBack&reason=thinFile")));
    expect(viewQuery(new URLSearchParams("reason=winBack&due=today&reason=thinFile"))).toBe("due=today&reason=winBack&reason=thinFile");
  });

  it("drops empty params, so a cleared search is not a change", () => {
    expect(viewQuery(new URLSearchParams("q=&tier=gold"))).toBe(viewQuery(new URLSearchParams("tier=gold")));
  });

  it("opens a saved view with its id in place of the list's filters, keeping the admin's params, and reads back to the same query", () => {
    const params = viewParams(new URLSearchParams("locale=zh-CN&host=YWRtaW4&tier=silver&q=lee&page=2"), "stage=atRisk&tier=gold", "v1");
    expect(params.get("saved")).toBe("v1");
    expect([params.get("locale"), params.get("host"), params.get("q"), params.get("page")]).toEqual(["zh-CN", "YWRtaW4", null, null]);
    expect(viewQuery(params)).toBe("stage=atRisk&tier=gold");
    // A built-in view: its own params, no saved id.
    expect(viewParams(new URLSearchParams("locale=en&saved=v1&tier=gold"), "view=key", null).toString()).toBe("locale=en&view=key");
  });

  it("refuses a query too long to be a list's view, and accepts one with a leading ?", () => {
    expect(parseViewQuery(`q=${"a".repeat(1200)}`)).toBeNull();
    expect(parseViewQuery("?tier=gold&page=2")).toBe("tier=gold");
  });
});

describe("whether a saved view is about a customer (customers/redact)", () => {
  const quilla = ["7310000000000451", "quilla.vantongeren@example.com", "+15550197346", "Quilla", "Vantongeren", "Quilla Vantongeren"];

  it("finds a search for their name, a piece of their email or their phone", () => {
    expect(searchNames("q=quilla", quilla)).toBe(true);
    expect(searchNames("q=Quilla%20Vantongeren", quilla)).toBe(true);
    expect(searchNames("q=vantongeren%40exa", quilla)).toBe(true);
    expect(searchNames("q=5550197346", quilla)).toBe(true);
  });

  it("leaves searches for someone else, and filters without a search", () => {
    expect(searchNames("q=oswin", quilla)).toBe(false);
    expect(searchNames("tier=gold&country=NO", quilla)).toBe(false);
    // Two letters name nobody.
    expect(searchNames("q=qu", quilla)).toBe(false);
  });

  it("finds their name in a view's name as a word, not inside another word", () => {
    expect(nameNames("Calls for Quilla", quilla)).toBe(true);
    expect(nameNames("Quilla's returns", quilla)).toBe(true);
    expect(nameNames("Annual buyers", ["Ann"])).toBe(false);
    expect(nameNames("给张伟打电话", ["张伟"])).toBe(true);
  });

  it("clears only the search, keeping the view's filters", () => {
    expect(withoutSearch("q=quilla&status=failed&channel=email")).toBe("channel=email&status=failed");
  });
});

describe("one reading of a list's sort and pages for the five lists", () => {
  it("writes a sort as sort and dir, and the list's default as neither, so the plain list is the plain URL", () => {
    expect(sortParams("value asc", "value asc")).toEqual({ sort: null, dir: null, direction: null });
    expect(sortParams("value desc", "value asc")).toEqual({ sort: null, dir: "desc", direction: null });
    expect(sortParams("lastOrder desc", "value asc")).toEqual({ sort: "lastOrder", dir: "desc", direction: null });
    // Read back, each is the sort that was chosen.
    const read = (changes: Record<string, string | null>) => parseFollowUpListQuery(listParams(new URLSearchParams("direction=asc"), changes));
    expect([read(sortParams("value desc", "value asc")).sort, read(sortParams("value desc", "value asc")).direction]).toEqual(["value", "desc"]);
    expect([read(sortParams("lastOrder asc", "value asc")).sort, read(sortParams("lastOrder asc", "value asc")).direction]).toEqual(["lastOrder", "asc"]);
  });

  it("still reads `direction`, as Members and Messages links said it before", () => {
    expect(parseMemberListQuery(new URLSearchParams("sort=orders&direction=asc"))).toMatchObject({ sort: "orders", direction: "asc" });
    expect(parseMessageListQuery(new URLSearchParams("sort=date&direction=asc"))).toMatchObject({ sort: "date", direction: "asc" });
    expect(parseMemberListQuery(new URLSearchParams("sort=orders&dir=asc&direction=desc")).direction).toBe("asc");
  });

  it("reads Messages' statuses comma separated, drops unknown values and a cursor too long to be one, and goes back to the first page on any change", () => {
    const query = parseMessageListQuery(new URLSearchParams(`status=sent,bogus,failed&channel=fax&from=2026-12-01&to=12/31&cursor=${"x".repeat(401)}`));
    expect(query).toMatchObject({ statuses: ["sent", "failed"], channel: null, from: "2026-12-01", to: null, cursor: null });
    expect(listParams(new URLSearchParams("cursor=abc&before=def&status=sent"), { channel: "email" }).toString()).toBe("status=sent&channel=email");
    expect(listParams(new URLSearchParams("cursor=abc&status=sent"), { before: "zzz", cursor: null }).toString()).toBe("status=sent&before=zzz");
  });
});
