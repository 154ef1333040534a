// A polaris-viz chart drawn only in the browser: polaris-viz measures its
// container, which the server cannot, so the server (and the first render)
// gives a box of the chart's height and the chart comes once mounted.
import { useEffect, useState, type ReactNode } from "react";

function useInBrowser(): boolean {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted;
}

/** The chart once in the browser; until then (and on the server) a box of its height. */
export function ClientChart({ height, children }: { height: number; children: ReactNode }) {
  const inBrowser = useInBrowser();
  return (
    <div data-chart style={{ height }}>
      {inBrowser ? children : null}
    </div>
  );
}
