// The committed schemas load, and the validator names what is wrong and where.
import { loadAdminSchema, loadDiscountFunctionSchema, validateDocument } from "./shopify-schema";

it("loads the Admin schema once per process", () => {
  expect(loadAdminSchema()).toBe(loadAdminSchema());
  expect(loadAdminSchema().getMutationType()?.getFields()).toHaveProperty("metafieldsSet");
});

it("validates a discount Function input query against the Function schema, not the Admin one", () => {
  const input = "query RunInput { cart { buyerIdentity { customer { id } } lines { quantity } } discount { discountClasses } }";
  expect(validateDocument(loadDiscountFunctionSchema(), input)).toEqual([]);
  expect(validateDocument(loadAdminSchema(), input)).toContainEqual(expect.stringContaining('Cannot query field "cart" on type "QueryRoot"'));
});

it("reports parse errors with their position", () => {
  expect(validateDocument(loadAdminSchema(), "query {\n  shop { name }")).toEqual(["2:16 Syntax Error: Expected Name, found <EOF>."]);
});
