// The store simulator's Admin GraphQL API. Every document is parsed, validated
// and executed against Shopify's real Admin schema for the pinned version, so
// a document Shopify would reject is rejected here too. Answers come from the
// simulator's state, with Shopify's calculated cost and leaky-bucket
// throttling, and every request is logged for tests to assert on.
import { randomUUID } from "node:crypto";
import http from "node:http";
import {
  defaultFieldResolver,
  execute,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";
import { ADMIN_API_VERSION, loadAdminSchema } from "../shopify-schema";
import { ActualCost, LeakyBucket, MAX_QUERY_COST, requestedQueryCost } from "./cost";
import { syntaxError, validationError, variableError, type ShopifyGraphqlError } from "./graphql-errors";
import { createRoots, NotImplemented, ShopifyError, type ResolverContext, type Roots } from "./resolvers";
import { answerTokenExchange, TOKEN_EXCHANGE_PATH } from "./token-exchange";
import { SimulatorState, type AddShopOptions, type SimBulkOperation, type SimShop } from "./state";

/**
 * How the simulator dealt with a request: refused at the HTTP level (see
 * `status`), rejected as an invalid document or variables, too expensive for a
 * single query, throttled, executed with errors, or answered.
 */
export type RequestOutcome = "refused" | "invalid" | "too-expensive" | "throttled" | "error" | "ok";

export interface RecordedRequest {
  shop: string | null;
  operationName: string | null;
  query: string;
  variables: Record<string, unknown>;
  /** HTTP status. Shopify answers invalid and throttled requests with 200 too. */
  status: number;
  outcome: RequestOutcome;
  errors: string[];
}

export interface StoreSimulatorOptions {
  port?: number;
  /** Points restored per second (Shopify's Standard plan: 100). */
  restoreRate?: number;
  bucketSize?: number;
  /** Milliseconds since the epoch; tests move it instead of sleeping. */
  clock?: () => number;
  /** Simulated milliseconds a bulk query takes to complete (default 2 s). */
  bulkRunMs?: number;
}

export interface StoreSimulator {
  /** http://127.0.0.1:<port> */
  url: string;
  state: SimulatorState;
  requests: RecordedRequest[];
  addShop(options: AddShopOptions): SimShop;
  close(): Promise<void>;
}

interface GraphqlRequest {
  query?: unknown;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

interface GraphqlAnswer {
  outcome: RequestOutcome;
  body: { data?: unknown; errors?: ShopifyGraphqlError[]; extensions?: Record<string, unknown> };
}

// The app reaches the simulator through route-shop-domains.ts, which puts the
// shop in the path; a direct caller may name it in the Host header instead.
const ADMIN_GRAPHQL_PATH = /^(?:\/shops\/([^/]+))?\/admin\/api\/([^/]+)\/graphql\.json$/;

// Where bulk query results are downloaded from (Shopify serves signed storage URLs).
const BULK_RESULT_PATH = /^\/bulk\/([^/]+)\/(\d+)\.jsonl$/;

const INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)";

/**
 * graphql-js's default resolver, except that a field the simulator's object
 * does not carry fails loudly instead of resolving to null.
 */
const strictFieldResolver: GraphQLFieldResolver<unknown, ResolverContext> = (source, args, context, info) => {
  if (typeof source === "object" && source !== null && !(info.fieldName in source)) throw new NotImplemented(`${info.parentType.name}.${info.fieldName}`);
  return defaultFieldResolver(source, args, context, info);
};

/** Root field names of an operation, through fragments. */
function rootFieldNames(selectionSet: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>): string[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return selection.name.value.startsWith("__") ? [] : [selection.name.value];
    return rootFieldNames(selection.kind === Kind.FRAGMENT_SPREAD ? fragments[selection.name.value].selectionSet : selection.selectionSet, fragments);
  });
}

function executionError(error: GraphQLError): ShopifyGraphqlError {
  const original = error.originalError;
  const where = { locations: error.locations, path: error.path };
  if (original instanceof NotImplemented) return { message: original.message, ...where, extensions: { code: "NOT_IMPLEMENTED" } };
  if (original instanceof ShopifyError) return { message: original.message, ...where, ...(original.code ? { extensions: { code: original.code } } : {}) };
  if (original && !(original instanceof GraphQLError)) return { message: `store simulator failed: ${original.stack ?? original.message}`, ...where, extensions: { code: "INTERNAL_SERVER_ERROR" } };
  return { message: error.message, ...where };
}

function answerGraphql(schema: GraphQLSchema, { queryRoot, mutationRoot }: Roots, context: ResolverContext, bucket: LeakyBucket, request: GraphqlRequest, record: RecordedRequest): GraphqlAnswer {
  const invalid = (errors: ShopifyGraphqlError[]): GraphqlAnswer => ({ outcome: "invalid", body: { errors } });
  if (typeof request.query !== "string" || request.query.trim() === "") return invalid([{ message: "No query string was present" }]);
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    return invalid([syntaxError(error as GraphQLError)]);
  }
  const validationErrors = validate(schema, document);
  if (validationErrors.length > 0) return invalid(validationErrors.map(validationError));
  const operation = getOperationAST(document, request.operationName ?? undefined);
  if (!operation) return invalid([{ message: request.operationName ? `No operation named "${request.operationName}"` : "An operation name is required" }]);
  record.operationName = operation.name?.value ?? null;
  const variables = request.variables ?? {};
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) return invalid(coerced.errors.map((error) => variableError(error, operation, variables)));

  const fragments = Object.fromEntries(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const root = operation.operation === "mutation" ? mutationRoot : queryRoot;
  const missing = rootFieldNames(operation.selectionSet, fragments).filter((name) => !(name in root));
  if (missing.length > 0) {
    const type = operation.operation === "mutation" ? "Mutation" : "Query";
    return { outcome: "error", body: { errors: [{ message: new NotImplemented(missing.map((name) => `${type}.${name}`).join(", ")).message, extensions: { code: "NOT_IMPLEMENTED" } }] } };
  }

  const requested = requestedQueryCost(schema, operation, fragments, coerced.coerced);
  const cost = (actual: number | null) => ({ cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: bucket.status() } });
  if (requested > MAX_QUERY_COST) {
    return {
      outcome: "too-expensive",
      body: {
        errors: [{ message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).`, extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: MAX_QUERY_COST } }],
        extensions: cost(null),
      },
    };
  }
  if (!bucket.take(requested)) {
    return { outcome: "throttled", body: { errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }], extensions: cost(null) } };
  }

  const actualCost = new ActualCost();
  // Every resolver is synchronous, so execution completes before execute returns.
  const result = execute({
    schema,
    document,
    operationName: request.operationName,
    rootValue: root,
    contextValue: context,
    variableValues: variables,
    fieldResolver: (source, args, resolverContext, info) => {
      const value = strictFieldResolver(source, args, resolverContext, info);
      actualCost.charge(info, value);
      return value;
    },
  }) as ExecutionResult;
  // Shopify refunds what the query did not use; it never charges more than it asked.
  const actual = Math.min(actualCost.total, requested);
  bucket.refund(requested - actual);
  return {
    outcome: result.errors ? "error" : "ok",
    body: { data: result.data, ...(result.errors ? { errors: result.errors.map(executionError) } : {}), extensions: cost(actual) },
  };
}

async function readBody(request: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** A completed run's JSONL, streamed; an expired one answers as cloud storage does. */
function sendBulkResult(res: http.ServerResponse, operation: SimBulkOperation | undefined) {
  if (!operation || operation.status !== "COMPLETED" || operation.result === null) {
    res.writeHead(404, { "Content-Type": "application/xml" });
    return res.end("<Error><Code>NoSuchKey</Code></Error>");
  }
  if (operation.expired) {
    res.writeHead(400, { "Content-Type": "application/xml" });
    return res.end("<Error><Code>ExpiredToken</Code><Message>Invalid argument.</Message></Error>");
  }
  res.writeHead(200, { "Content-Type": "application/jsonl" });
  if (operation.dropAfterLines === undefined) return res.end(operation.result);
  const kept = operation.result.split("\n").slice(0, operation.dropAfterLines);
  delete operation.dropAfterLines;
  res.write(kept.map((line) => `${line}\n`).join(""), () => res.destroy());
}

export async function startStoreSimulator(options: StoreSimulatorOptions = {}): Promise<StoreSimulator> {
  const schema = loadAdminSchema();
  const clock = options.clock ?? Date.now;
  const state = new SimulatorState(clock);
  const requests: RecordedRequest[] = [];
  let url = "";
  const roots = createRoots({ schema, baseUrl: () => url, runMs: options.bulkRunMs ?? 2000, fieldResolver: strictFieldResolver });
  // One bucket per app and shop, as Shopify keeps them; the simulator serves one app.
  const buckets = new Map<string, LeakyBucket>();
  const bucketOf = (shop: SimShop) => {
    let bucket = buckets.get(shop.domain);
    if (!bucket) buckets.set(shop.domain, (bucket = new LeakyBucket(options.bucketSize ?? 2000, options.restoreRate ?? 100, clock)));
    return bucket;
  };

  async function answerTokenRequest(req: http.IncomingMessage, domain: string, send: (status: number, body: unknown) => void) {
    const shop = state.shops.get(domain);
    if (!shop) return send(404, { errors: "Not Found" });
    if (req.method !== "POST") return send(405, { error: "invalid_request", error_description: "Only POST" });
    const text = await readBody(req);
    let body: Record<string, unknown>;
    try {
      body = String(req.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded") ? Object.fromEntries(new URLSearchParams(text)) : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      return send(400, { error: "invalid_request", error_description: "The body is not JSON" });
    }
    // Session tokens come from the admin frame, which signs them on the real
    // clock (not the simulator's, which tests and the demo move).
    const answer = answerTokenExchange(shop, body ?? {}, Math.floor(Date.now() / 1000));
    send(answer.status, answer.body);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "X-Request-Id": randomUUID() });
      res.end(JSON.stringify(body));
    };
    const path = new URL(req.url ?? "/", "http://simulator").pathname;
    const result = BULK_RESULT_PATH.exec(path);
    if (result) return sendBulkResult(res, state.shops.get(result[1])?.bulkOperations.get(result[2]));
    const exchange = TOKEN_EXCHANGE_PATH.exec(path);
    if (exchange) return answerTokenRequest(req, exchange[1], send);
    const match = ADMIN_GRAPHQL_PATH.exec(path);
    if (!match) return send(404, { errors: "Not Found" });
    const [, pathShop, version] = match;
    const text = await readBody(req);
    let payload: GraphqlRequest | null = null;
    try {
      payload = JSON.parse(text) as GraphqlRequest;
    } catch {
      // answered below, once the request is known to reach a shop
    }
    const record: RecordedRequest = {
      shop: pathShop ?? req.headers.host?.replace(/:\d+$/, "") ?? null,
      operationName: payload?.operationName ?? null,
      query: typeof payload?.query === "string" ? payload.query : "",
      variables: payload?.variables ?? {},
      status: 0,
      outcome: "refused",
      errors: [],
    };
    requests.push(record);
    const finish = (status: number, outcome: RequestOutcome, body: { errors?: string | ShopifyGraphqlError[] }) => {
      Object.assign(record, { status, outcome, errors: typeof body.errors === "string" ? [body.errors] : (body.errors ?? []).map((error) => error.message) });
      send(status, body);
    };

    if (req.method !== "POST") return finish(405, "refused", { errors: "Only POST is simulated" });
    if (version !== ADMIN_API_VERSION) return finish(404, "refused", { errors: `Admin API version ${version} is not simulated (only ${ADMIN_API_VERSION})` });
    const shop = record.shop ? state.shops.get(record.shop) : undefined;
    if (!shop) return finish(404, "refused", { errors: `store simulator has no shop ${record.shop}` });
    if (req.headers["x-shopify-access-token"] !== shop.accessToken) return finish(401, "refused", { errors: INVALID_TOKEN });
    if (!payload || typeof payload !== "object") return finish(400, "refused", { errors: "Invalid JSON in request body" });
    const answer = answerGraphql(schema, roots, { state, shop }, bucketOf(shop), payload, record);
    finish(200, answer.outcome, answer.body);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ errors: `store simulator failed: ${error.stack ?? error.message}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  url = `http://127.0.0.1:${port}`;
  return {
    url,
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
