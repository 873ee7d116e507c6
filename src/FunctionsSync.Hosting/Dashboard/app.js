// FunctionsSync dashboard: everything goes through the public API with the key kept in this tab's session storage.
// Live changes come from GET /api/events (read with fetch, which can send the key; EventSource cannot). Where a host
// answers that request with the events so far and closes it (the Functions app), the same loop polls.
"use strict";

const state = { key: sessionStorage.getItem("functionssync.key"), connections: [], connectionPages: 1, moreConnections: null, health: "", runs: new Map(), latest: new Map(), lastEventId: null };
// Connections are read a page at a time (the API pages them): the pages shown are read again on each refresh.
const CONNECTION_PAGE = 50;
const FINAL = ["succeeded", "partial", "failed", "cancelled"];
const $ = id => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "onclick") node.addEventListener("click", value);
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) node.append(child instanceof Node ? child : document.createTextNode(child ?? ""));
  return node;
}

async function api(method, path, body) {
  const response = await fetch("/api/" + path, {
    method,
    headers: Object.assign({ "X-Api-Key": state.key }, body === undefined ? {} : { "Content-Type": "application/json" }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = new Error(json?.detail || json?.title || `HTTP ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return json;
}

function say(message) { $("live").textContent = message; }

const when = iso => iso ? new Date(iso).toLocaleString() : "never";
const badge = value => el("span", { class: "badge " + value }, value.replaceAll("_", " "));
const eta = ms => ms == null ? "" : ms < 60000 ? `${Math.ceil(ms / 1000)} s left` : `${Math.ceil(ms / 60000)} min left`;

// ---- sign in
async function signIn(key) {
  state.key = key;
  try {
    await api("GET", "connections?pageSize=1");
  } catch (e) {
    state.key = null;
    $("signin-error").textContent = e.status === 401 ? "That key is not valid." : e.message;
    return;
  }
  sessionStorage.setItem("functionssync.key", key);
  $("signin").hidden = true;
  $("app").hidden = false;
  $("signout").hidden = false;
  await refreshAll();
  follow();
}

function signOut() {
  sessionStorage.removeItem("functionssync.key");
  location.reload();
}

async function refreshAll() {
  await Promise.all([refreshSchedule(), refreshConnections(), refreshConflicts(), refreshWebhooks()]);
}

// ---- schedule
async function refreshSchedule() {
  const status = await api("GET", "sync/status");
  $("schedule").textContent = `${status.enabled ? "Running" : "Stopped"}: ${status.schedule}` + (status.nextRunAt ? `, next cycle ${when(status.nextRunAt)}` : "");
  const h = status.connections.health;
  $("health-counts").textContent = Object.entries(h).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k.replaceAll("_", " ")}`).join(" · ") || "No connections yet.";
}

async function scheduleAction(path, body) {
  try { await api("POST", path, body); say("Schedule updated."); } catch (e) { say(e.message); }
  await refreshSchedule();
}

// ---- connections and live runs
function connectionsPath(token) {
  const query = new URLSearchParams({ pageSize: String(CONNECTION_PAGE) });
  if (state.health) query.set("health", state.health);
  if (token) query.set("continuationToken", token);
  return "connections?" + query;
}

async function refreshConnections() {
  const list = [];
  let token = null;
  let pages = 0;
  do {
    const page = await api("GET", connectionsPath(token));
    list.push(...page.connections);
    token = page.continuationToken ?? null;
    pages++;
    // A filtered page may come back empty with more to read: read on until something shows or the list ends.
  } while (token && (pages < state.connectionPages || list.length === 0));
  state.connections = list;
  state.moreConnections = token;
  await Promise.all(state.connections.filter(c => c.activeRunId && !state.runs.has(c.activeRunId)).map(c => loadRun(c.activeRunId)));
  renderConnections();
}

async function showMoreConnections() {
  const page = await api("GET", connectionsPath(state.moreConnections));
  state.connections.push(...page.connections);
  state.moreConnections = page.continuationToken ?? null;
  state.connectionPages++;
  await Promise.all(page.connections.filter(c => c.activeRunId && !state.runs.has(c.activeRunId)).map(c => loadRun(c.activeRunId)));
  renderConnections();
}

async function loadRun(runId) {
  try {
    const run = await api("GET", "runs/" + runId);
    state.runs.set(runId, run);
    state.latest.set(run.connectionId, run);
  } catch { /* a scheduled run not started yet */ }
}

function renderConnections() {
  const byOrg = Map.groupBy(state.connections, c => c.organizationId);
  const container = $("connections");
  container.replaceChildren();
  for (const [org, list] of byOrg) {
    container.append(el("h3", {}, org), el("table", {},
      el("thead", {}, el("tr", {}, ["Connection", "Marketplace", "Health", "Last run", "Progress", "Actions"].map(t => el("th", { scope: "col" }, t)))),
      el("tbody", {}, list.map(connectionRow))));
  }
  if (state.connections.length === 0) container.append(el("p", {}, state.moreConnections ? "None on this page." : state.health ? "No connections with this health." : "No connections."));
  $("connections-more").hidden = !state.moreConnections;
}

function connectionRow(c) {
  // The active run, else the last run this page saw (its bar stays at its final value).
  const run = (c.activeRunId && state.runs.get(c.activeRunId)) || state.latest.get(c.connectionId) || null;
  const active = run && !FINAL.includes(run.status);
  const progress = run
    ? el("span", {},
        el("progress", { max: "100", value: String(run.percentComplete ?? 0), "aria-label": `Progress of ${c.name}`, "data-run": run.runId, "data-status": run.status }),
        // A paused run makes no progress: no time left is shown for it.
        ` ${run.percentComplete ?? 0}% `, badge(run.status), ` ${active && run.status !== "paused" ? eta(run.estimatedTimeRemainingMs) : ""}`)
    : el("span", { class: "muted" }, "idle");
  const actions = [];
  if (!active) {
    actions.push(el("button", { type: "button", onclick: () => trigger(c, "incremental") }, "Sync ", el("span", { class: "visually-hidden" }, c.name)));
    actions.push(el("button", { type: "button", onclick: () => trigger(c, "full") }, "Full sync"));
  } else {
    if (run.status === "paused") actions.push(el("button", { type: "button", onclick: () => control(run, "resume") }, "Resume"));
    else actions.push(el("button", { type: "button", onclick: () => control(run, "pause") }, "Pause"));
    actions.push(el("button", { type: "button", onclick: () => control(run, "cancel") }, "Cancel"));
  }
  actions.push(el("button", { type: "button", onclick: () => showConnectionRuns(c) }, "Details"));
  return el("tr", { "data-connection": c.connectionId, "data-name": c.name },
    el("th", { scope: "row" }, c.name),
    el("td", {}, c.marketplace),
    el("td", { class: "health" }, badge(c.health), c.staleSince ? el("span", { title: `Missing its freshness objective since ${when(c.staleSince)}` }, " ", badge("stale")) : ""),
    el("td", {}, c.lastRunStatus ? badge(c.lastRunStatus) : "", " ", el("span", { class: "muted" }, when(c.lastRunFinishedAt))),
    el("td", { class: "progress" }, progress),
    el("td", {}, actions));
}

async function trigger(c, mode) {
  try {
    const answer = await api("POST", "sync/trigger", { connectionIds: [c.connectionId], mode });
    const runId = answer.runs[0].runId;
    await loadRun(runId);
    say(`${mode === "full" ? "Full sync" : "Sync"} of ${c.name} queued.`);
  } catch (e) { say(e.message); }
  await refreshConnections();
}

async function control(run, action) {
  try { await api("POST", `runs/${run.runId}/${action}`); say(`Run ${action} requested.`); } catch (e) { say(e.message); }
  await loadRun(run.runId);
  await refreshConnections();
}

async function showConnectionRuns(listed) {
  // Read afresh: the row was drawn before the runs since (its tokens and error may have changed).
  const [c, history] = await Promise.all([api("GET", `connections/${listed.connectionId}`), api("GET", `connections/${listed.connectionId}/runs?pageSize=5`)]);
  const detail = $("run-detail");
  detail.replaceChildren(el("h3", {}, `Runs of ${c.name}`));
  if (c.tokens) detail.append(tokenHealth(c.tokens));
  if (history.runs.length === 0) { detail.append(el("p", {}, "No runs yet.")); return; }
  for (const run of history.runs) {
    detail.append(el("article", { "aria-label": `Run ${run.runId}` },
      el("p", {}, badge(run.status), ` ${run.mode}, ${run.trigger}, started ${when(run.startedAt)}, ${run.durationMs ?? 0} ms running, ${run.marketplaceCalls.requests} requests (${run.marketplaceCalls.throttled} throttled)`),
      el("table", {},
        el("thead", {}, el("tr", {}, ["Entity", "State", "Total", "Created", "Updated", "Unchanged", "Failed", "Skipped", "Missing", "Deleted", "Lag p95"].map(t => el("th", { scope: "col" }, t)))),
        el("tbody", {}, run.entities.map(e => el("tr", {}, el("th", { scope: "row" }, e.entityType), el("td", {}, e.state),
          ...["total", "created", "updated", "unchanged", "failed", "skipped", "missing", "deleted"].map(k => el("td", {}, String(e.counters[k]))),
          el("td", {}, e.freshness ? `${e.freshness.p95Seconds} s (${e.freshness.changes} changes)` : "—"))))),
      run.error ? el("p", { class: "muted" }, "Error: " + run.error) : "",
      run.recordErrors.length ? el("ul", {}, run.recordErrors.map(r => el("li", {}, r))) : ""));
  }
}

// Where the marketplace expires access tokens: when the one in use expires, the last refresh, the refresh token's age.
function tokenHealth(t) {
  const age = t.refreshTokenAgeDays == null ? "" : `, refresh token ${t.refreshTokenAgeDays} of 90 days old`;
  const failures = t.refreshFailures ? `, ${t.refreshFailures} failed refresh${t.refreshFailures === 1 ? "" : "es"} in a row` : "";
  return el("p", { class: "tokens" }, `Access token ${t.accessTokenExpiresAt ? "expires " + when(t.accessTokenExpiresAt) : "not yet obtained"}`,
    `, last refreshed ${t.lastRefreshAt ? when(t.lastRefreshAt) : "never"}${age}${failures}${t.refreshing ? " (refreshing now)" : ""}.`);
}

// ---- conflicts
async function refreshConflicts() {
  // Waiting for a person (open) or for the automatic policy's next try (retrying): both can be resolved now.
  const [open, retrying] = await Promise.all(["open", "retrying"].map(status => api("GET", "conflicts?pageSize=200&status=" + status)));
  const list = [...open.conflicts, ...retrying.conflicts];
  const container = $("conflicts");
  container.replaceChildren();
  if (list.length === 0) { container.append(el("p", {}, "No open conflicts.")); return; }
  container.append(el("table", {},
    el("thead", {}, el("tr", {}, ["Type", "Record", "Message", "Resolution"].map(t => el("th", { scope: "col" }, t)))),
    el("tbody", {}, list.map(conflictRow))));
}

function conflictRow(c) {
  const select = el("select", { id: `resolution-${c.id}` }, ["accept_source", "keep_target", "retry", "skip"].map(r => el("option", { value: r }, r.replaceAll("_", " "))));
  const note = el("input", { id: `note-${c.id}`, type: "text", placeholder: "note" });
  return el("tr", { "data-conflict": c.id },
    el("td", {}, c.type.replaceAll("_", " "), " ", badge(c.status)),
    el("td", {}, `${c.entityType ?? ""} ${c.externalId ?? ""}`),
    el("td", {}, c.message),
    el("td", {},
      el("label", { for: select.id }, "Resolution"), select,
      el("label", { for: note.id }, "Note"), note,
      el("button", { type: "button", onclick: async () => {
        try { await api("POST", `conflicts/${c.id}/resolve`, { resolution: select.value, note: note.value || undefined }); say("Conflict resolved."); }
        catch (e) { say(e.message); }
        await refreshConflicts();
      } }, "Resolve")));
}

// ---- webhooks
async function refreshWebhooks() {
  const list = (await api("GET", "webhooks")).webhooks;
  const container = $("webhooks");
  container.replaceChildren();
  if (list.length === 0) { container.append(el("p", {}, "No webhook endpoints.")); return; }
  for (const w of list) {
    const deliveries = el("div", { id: `deliveries-${w.id}` });
    container.append(el("article", { "aria-label": `Endpoint ${w.targetUrl}` },
      el("p", {}, el("strong", {}, w.targetUrl), ` — ${w.events.join(", ")} — `, el("span", { class: "badge " + (w.enabled ? "succeeded" : "failed") }, w.enabled ? "enabled" : "disabled"), w.enabled ? "" : ` ${w.disabledReason ?? ""}`),
      el("button", { type: "button", onclick: () => showDeliveries(w, deliveries) }, "Deliveries"),
      deliveries));
  }
}

async function showDeliveries(w, container) {
  const list = (await api("GET", `webhooks/${w.id}/deliveries`)).deliveries;
  container.replaceChildren(list.length === 0 ? el("p", {}, "No deliveries yet.") : el("table", {},
    el("thead", {}, el("tr", {}, ["Event", "Status", "Attempts", "Last error", ""].map(t => el("th", { scope: "col" }, t || "Action")))),
    el("tbody", {}, list.map(d => el("tr", { "data-delivery": d.id },
      el("td", {}, d.eventType), el("td", {}, badge(d.status)), el("td", { class: "attempts" }, String(d.attempts)), el("td", {}, d.lastError ?? ""),
      el("td", {}, el("button", { type: "button", onclick: async () => {
        try { await api("POST", `webhooks/deliveries/${d.id}/replay`); say("Delivery replayed."); } catch (e) { say(e.message); }
        await showDeliveries(w, container);
      } }, "Replay")))))));
}

// ---- live events
async function follow() {
  while (state.key) {
    try {
      const headers = { "X-Api-Key": state.key };
      if (state.lastEventId) headers["Last-Event-ID"] = state.lastEventId;
      const response = await fetch("/api/events", { headers });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          onMessage(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch { /* the stream broke: reconnect below */ }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
}

function onMessage(block) {
  let id = null, type = "message", data = "";
  for (const line of block.split("\n")) {
    if (line.startsWith("id: ")) id = line.slice(4);
    else if (line.startsWith("event: ")) type = line.slice(7);
    else if (line.startsWith("data: ")) data += line.slice(6);
  }
  if (id) state.lastEventId = id;
  if (!data || type === "ready") return;
  onEvent(type, JSON.parse(data).data);
}

let refreshPending = null;
function refreshSoon(what) {
  clearTimeout(refreshPending);
  refreshPending = setTimeout(() => what().catch(() => {}), 150);
}

function onEvent(type, data) {
  if (type.startsWith("run.")) {
    const run = state.runs.get(data.runId) || { runId: data.runId };
    Object.assign(run, data);
    state.runs.set(data.runId, run);
    state.latest.set(data.connectionId, run);
    const c = state.connections.find(x => x.connectionId === data.connectionId);
    if (c) c.activeRunId = type === "run.finished" ? null : data.runId;
    renderConnections();
    if (type === "run.finished" || type === "run.queued" || type === "run.paused") {
      refreshSoon(async () => { await refreshConnections(); await refreshSchedule(); });
    }
  } else if (type.startsWith("conflict.")) {
    refreshConflicts().catch(() => {});
  }
}

// ---- wiring
$("signin-form").addEventListener("submit", event => { event.preventDefault(); signIn($("key").value.trim()); });
$("signout").addEventListener("click", signOut);
$("connections-more").addEventListener("click", () => showMoreConnections().catch(e => say(e.message)));
$("health-filter").addEventListener("change", () => {
  state.health = $("health-filter").value;
  state.connectionPages = 1;
  refreshConnections().catch(e => say(e.message));
});
$("schedule-start").addEventListener("click", () => scheduleAction("sync/start"));
$("schedule-stop").addEventListener("click", () => scheduleAction("sync/stop"));
$("interval-form").addEventListener("submit", event => { event.preventDefault(); scheduleAction("sync/interval", { minutes: Number($("interval-minutes").value) }); });
if (state.key) signIn(state.key);
