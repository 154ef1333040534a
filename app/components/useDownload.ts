// Downloads a file from one of the app's own routes (a CSV export) through
// fetch: inside Shopify admin the app's requests carry the session token only
// when App Bridge's fetch makes them, so a plain link would reach the server
// without one.
import { useState } from "react";

export function useDownload(url: string, filename: string) {
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const download = async () => {
    setBusy(true);
    setFailed(false);
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(String(response.status));
      const href = URL.createObjectURL(await response.blob());
      const anchor = document.createElement("a");
      anchor.href = href;
      anchor.download = filename;
      anchor.click();
      URL.revokeObjectURL(href);
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };
  return { busy, failed, download };
}
