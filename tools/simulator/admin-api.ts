// The store simulator's Admin GraphQL API: documents are parsed, validated and
// executed against Shopify's real Admin schema for 2026-10, so a document
// Shopify would reject is rejected here too. Stateful, with Shopify's
// calculated query cost and leaky-bucket throttling in `extensions.cost`.
import http from "node:http";
import {
  execute,
  getNamedType,
  isLeafType,
  isObjectType,
  isInterfaceType,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  GraphQLError,
} from "graphql";
import { loadAdminSchema } from "../shopify-schema";
import { rootResolvers, UserFacingError } from "./resolvers";
import { SimulatorState, type AddShopOptions, type SimShop } from "./state";

export const SIMULATED_API_VERSION = "2026-10";
/** Shopify rejects any single query above this cost. */
export const MAX_QUERY_COST = 1000;

export interface RecordedRequest {
  shop: string;
  operationName: string | null;
  query: string;
  variables: Record<string, unknown>;
  status: "ok" | "invalid" | "throttled" | "error";
}

export interface StoreSimulatorOptions {
  port?: number;
  /** Points restored per second (Shopify Standard plan: 100). */
  restoreRate?: number;
  bucketSize?: number;
  /** Milliseconds since the epoch; tests move it instead of sleeping. */
  clock?: () => number;
}

export interface StoreSimulator {
  url: string;
  state: SimulatorState;
  requests: RecordedRequest[];
  addShop(options: AddShopOptions): SimShop;
  close(): Promise<void>;
}

type Fragments = Record<string, FragmentDefinitionNode>;

/**
 * Shopify's calculated cost: scalars and enums 0, objects 1, connections 2 plus
 * the requested page size times the cost of one item, mutations 10.
 */
export function queryCost(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Fragments, variables: Record<string, unknown>): number {
  const root = operation.operation === "mutation" ? schema.getMutationType()! : schema.getQueryType()!;
  const base = operation.operation === "mutation" ? 10 : 0;
  return base + selectionCost(schema, root, operation.selectionSet, fragments, variables);
}

function argumentValue(node: { arguments?: readonly { name: { value: string }; value: { kind: string } }[] }, name: string, variables: Record<string, unknown>): number | undefined {
  const arg = node.arguments?.find((a) => a.name.value === name);
  if (!arg) return undefined;
  const value = arg.value as { kind: string; value?: string; name?: { value: string } };
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.VARIABLE) return variables[value.name!.value] as number | undefined;
  return undefined;
}

function selectionCost(schema: GraphQLSchema, parent: GraphQLCompositeType, selectionSet: SelectionSetNode, fragments: Fragments, variables: Record<string, unknown>): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT || selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments[selection.name.value] : selection;
      const typeName = fragment.typeCondition?.name.value;
      const type = (typeName ? schema.getType(typeName) : parent) as GraphQLCompositeType;
      cost += selectionCost(schema, type, fragment.selectionSet, fragments, variables);
      continue;
    }
    if (selection.name.value.startsWith("__") || !(isObjectType(parent) || isInterfaceType(parent))) continue;
    const field = parent.getFields()[selection.name.value];
    if (!field) continue;
    const type = getNamedType(field.type);
    if (isLeafType(type) || !selection.selectionSet) continue;
    const inner = selectionCost(schema, type as GraphQLCompositeType, selection.selectionSet, fragments, variables);
    if (type.name.endsWith("Connection")) {
      const size = argumentValue(selection, "first", variables) ?? argumentValue(selection, "last", variables) ?? 1;
      cost += 2 + size * Math.max(1, inner);
    } else {
      cost += 1 + inner;
    }
  }
  return cost;
}

function errorBody(message: string, code: string, extra: Record<string, unknown> = {}) {
  return { errors: [{ message, extensions: { code, ...extra } }] };
}

export async function startStoreSimulator(options: StoreSimulatorOptions = {}): Promise<StoreSimulator> {
  const schema = loadAdminSchema();
  const restoreRate = options.restoreRate ?? 100;
  const bucketSize = options.bucketSize ?? 2000;
  const clock = options.clock ?? Date.now;
  const state = new SimulatorState(bucketSize);
  const requests: RecordedRequest[] = [];

  function costExtension(shop: SimShop, requested: number, actual: number | null) {
    return {
      cost: {
        requestedQueryCost: requested,
        actualQueryCost: actual,
        throttleStatus: { maximumAvailable: bucketSize, currentlyAvailable: Math.floor(shop.bucket.available), restoreRate },
      },
    };
  }

  function refill(shop: SimShop) {
    const now = clock();
    if (shop.bucket.updatedAt === 0) shop.bucket.updatedAt = now;
    shop.bucket.available = Math.min(bucketSize, shop.bucket.available + ((now - shop.bucket.updatedAt) / 1000) * restoreRate);
    shop.bucket.updatedAt = now;
  }

  async function handleGraphql(shop: SimShop, payload: { query?: string; variables?: Record<string, unknown>; operationName?: string }) {
    const query = payload.query ?? "";
    const variables = payload.variables ?? {};
    const record: RecordedRequest = { shop: shop.domain, operationName: payload.operationName ?? null, query, variables, status: "ok" };
    requests.push(record);
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      record.status = "invalid";
      return { errors: [{ message: (error as GraphQLError).message, locations: (error as GraphQLError).locations, extensions: { code: "syntaxError" } }] };
    }
    const validationErrors = validate(schema, document);
    if (validationErrors.length > 0) {
      record.status = "invalid";
      return { errors: validationErrors.map((e) => ({ message: e.message, locations: e.locations, extensions: { code: "undefinedField" } })) };
    }
    const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const operation = payload.operationName ? operations.find((o) => o.name?.value === payload.operationName) : operations[0];
    if (!operation) {
      record.status = "invalid";
      return errorBody("No operation found", "operationNotFound");
    }
    record.operationName = operation.name?.value ?? null;
    const fragments = Object.fromEntries(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
    const requested = queryCost(schema, operation, fragments, variables);
    refill(shop);
    if (requested > MAX_QUERY_COST) {
      record.status = "invalid";
      return { ...errorBody(`Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).`, "MAX_COST_EXCEEDED", { cost: requested, maxCost: MAX_QUERY_COST }), extensions: costExtension(shop, requested, null) };
    }
    if (requested > shop.bucket.available) {
      record.status = "throttled";
      return { ...errorBody("Throttled", "THROTTLED", { documentation: "https://shopify.dev/api/usage/rate-limits" }), extensions: costExtension(shop, requested, null) };
    }

    const resolvers = rootResolvers(state, shop, () => new Date(clock()));
    const table = operation.operation === "mutation" ? resolvers.mutation : resolvers.query;
    const missing = operation.selectionSet.selections
      .filter((s) => s.kind === Kind.FIELD && !s.name.value.startsWith("__"))
      .map((s) => (s.kind === Kind.FIELD ? s.name.value : ""))
      .filter((name) => !(name in table));
    if (missing.length > 0) {
      record.status = "error";
      const type = operation.operation === "mutation" ? "Mutation" : "Query";
      return errorBody(`store simulator does not implement ${missing.map((name) => `${type}.${name}`).join(", ")}`, "NOT_IMPLEMENTED");
    }
    shop.bucket.available -= requested;
    const result = await execute({ schema, document, rootValue: table, variableValues: variables, operationName: payload.operationName });
    if (result.errors?.length) record.status = "error";
    return {
      ...(result.data !== undefined ? { data: result.data } : {}),
      ...(result.errors ? { errors: result.errors.map((e) => ({ message: e.originalError instanceof UserFacingError ? e.originalError.message : e.message, path: e.path, locations: e.locations })) } : {}),
      extensions: costExtension(shop, requested, requested),
    };
  }

  const server = http.createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(body));
    };
    try {
      const url = new URL(req.url ?? "/", "http://simulator");
      // The app reaches the simulator through route-shop-domains.ts, which puts
      // the shop in the path; a direct caller may use the Host header instead.
      const match = /^(?:\/shops\/([^/]+))?\/admin\/api\/([^/]+)\/graphql\.json$/.exec(url.pathname);
      if (!match || req.method !== "POST") return send(404, { errors: "Not Found" });
      const [, pathShop, version] = match;
      if (version !== SIMULATED_API_VERSION) return send(404, { errors: `API version ${version} is not simulated` });
      const domain = pathShop ?? String(req.headers.host ?? "").split(":")[0];
      const shop = state.shops.get(domain);
      if (!shop || req.headers["x-shopify-access-token"] !== shop.accessToken) {
        return send(401, { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      let payload;
      try {
        payload = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return send(400, { errors: "Invalid JSON in request body" });
      }
      send(200, await handleGraphql(shop, payload));
    } catch (error) {
      send(500, { errors: `store simulator failed: ${(error as Error).message}` });
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    state,
    requests,
    addShop: (shopOptions) => state.addShop(shopOptions),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
