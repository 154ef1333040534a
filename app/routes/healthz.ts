// Liveness (docs/operations.md, "Health endpoints"): the process is up and its
// event loop answers. No database, no authentication, nothing about any shop.
export const loader = () => new Response("ok\n", { status: 200, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
