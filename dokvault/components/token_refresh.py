"""Keeps the access token fresh while a signed-in page is open.

The token lives in an httpOnly cookie the page cannot read; the page reads only when it
expires (`dokvault_access_exp`) and, a few minutes before, asks POST /api/auth/refresh
for a new one. A Web Lock makes tabs take turns, so two tabs never present the same
refresh token (which would look like theft and revoke the session).
"""

import reflex as rx

REFRESH_SCRIPT = """
(() => {
  if (window.__dokvaultRefresh) return;
  window.__dokvaultRefresh = true;
  const MARGIN_S = 180;
  const expiry = () => {
    const m = document.cookie.match(/(?:^|; )dokvault_access_exp=(\\d+)/);
    return m ? Number(m[1]) : null;
  };
  const due = () => { const e = expiry(); return e !== null && e - Date.now() / 1000 < MARGIN_S; };
  const refresh = async () => {
    if (!due()) return;
    const run = async () => {
      if (!due()) return;  // another tab refreshed while this one waited
      try {
        await fetch("/api/auth/refresh", {method: "POST", credentials: "same-origin",
                                          cache: "no-store"});
      } catch (e) { /* offline: the next tick tries again */ }
    };
    if (navigator.locks) await navigator.locks.request("dokvault-refresh", run);
    else await run();
  };
  setInterval(refresh, 30000);
  document.addEventListener("visibilitychange", () => { if (!document.hidden) refresh(); });
  refresh();
})();
"""


def token_refresh_script() -> rx.Component:
    return rx.script(REFRESH_SCRIPT)
