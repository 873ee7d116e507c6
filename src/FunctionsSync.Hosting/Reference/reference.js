// Mounts Scalar on this host's OpenAPI document. Relative to the page: /reference reads /openapi/v1.json (self-hosted),
// /api/reference reads /api/openapi/v1.json (Functions app). Nothing is fetched from elsewhere: no web fonts, no proxy,
// no telemetry, none of Scalar's hosted services (its developer toolbar, "Ask AI"), and the page's
// Content-Security-Policy holds it to this origin.
"use strict";
Scalar.createApiReference("#app", {
  url: new URL("openapi/v1.json", document.baseURI).toString(),
  withDefaultFonts: false,
  telemetry: false,
  hideClientButton: true,
  showDeveloperTools: "never",
  agent: { disabled: true },
  authentication: { preferredSecurityScheme: "X-Api-Key" },
});
