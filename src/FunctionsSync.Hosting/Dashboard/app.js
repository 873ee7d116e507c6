// FunctionsSync dashboard: everything goes through the public API with the key kept in this tab's session storage.
// Live changes come from GET /api/events (read with fetch, which can send the key; EventSource cannot). Where a host
// answers that request with the events so far and closes it (the Functions app), the same loop polls.
"use strict";

const state = {
  key: sessionStorage.getItem("functionssync.key"), caller: null, schedule: null,
  connections: [], connectionPages: 1, moreConnections: null, health: "", organization: "", search: "", sort: "name",
  runs: new Map(), latest: new Map(), known: new Map(), lastEventId: null,
  recent: [], recentStatus: "", moreRecent: null,
};
// Connections are read a page at a time (the API pages them, filtered by health and organization on the server): the
// pages shown are read again on each refresh. Search and sort apply to the rows read.
const CONNECTION_PAGE = 50;
const HISTORY_RUNS = 20;
const RECENT_PAGE = 25;
const FINAL = ["succeeded", "partial", "failed", "cancelled"];
const HEALTH_ORDER = ["action_required", "error", "delayed", "running", "pending", "on_time", "disabled"];
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

const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(child));
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

// ---- words for numbers and times
const words = value => String(value).replaceAll("_", " ");
const when = iso => iso ? new Date(iso).toLocaleString() : "never";
const badge = value => el("span", { class: "badge " + value }, words(value));
const plural = (n, one, many = one + "s") => `${n} ${n === 1 ? one : many}`;

/** "1 min 10 s", "2 h 5 min", "850 ms". */
function duration(ms) {
  if (ms == null) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60), rs = s % 60;
  if (m < 60) return rs ? `${m} min ${rs} s` : `${m} min`;
  const h = Math.floor(m / 60), rm = m % 60;
  return rm ? `${h} h ${rm} min` : `${h} h`;
}

/** "3 min ago"; the exact time in the title. */
function ago(iso) {
  if (!iso) return el("span", { class: "muted" }, "never");
  const ms = Date.now() - new Date(iso).getTime();
  return el("time", { datetime: iso, title: when(iso) }, ms < 5000 ? "just now" : `${duration(ms).replace(/ \d+ s$/, "")} ago`);
}

/** The schedule's six-field cron (seconds first, UTC) in words where it is one of the usual shapes. */
function scheduleText(cron) {
  const f = cron.trim().split(/\s+/);
  if (f.length !== 6) return `on the cron schedule ${cron}`;
  const [sec, min, hour, dom, mon, dow] = f;
  const rest = dom === "*" && mon === "*" && dow === "*";
  const every = (field, unit) => field === "*" ? `every ${unit}` : /^\*\/\d+$/.test(field) ? (field === "*/1" ? `every ${unit}` : `every ${field.slice(2)} ${unit}s`) : null;
  if (rest && hour === "*" && min === "*") return every(sec, "second") ?? `on the cron schedule ${cron}`;
  if (rest && hour === "*" && sec === "0" && every(min, "minute")) return every(min, "minute");
  if (rest && sec === "0" && min === "0" && every(hour, "hour")) return every(hour, "hour");
  if (rest && sec === "0" && /^\d+$/.test(min) && /^\d+$/.test(hour)) return `daily at ${hour.padStart(2, "0")}:${min.padStart(2, "0")} UTC`;
  return `on the cron schedule ${cron}`;
}

const eta = run => run.stale ? badge("stalled") : run.estimatedTimeRemainingMs == null ? "" : `${duration(run.estimatedTimeRemainingMs)} left`;
const admin = () => state.caller?.admin === true;

// ---- sign in
async function signIn(key) {
  state.key = key;
  try {
    // The status says whether the key holds and who it is (the schedule's controls follow it): no list read to check it.
    await refreshStatus();
  } catch (e) {
    state.key = null;
    $("signin-error").textContent = e.status === 401 ? "That key is not valid." : e.message;
    return;
  }
  sessionStorage.setItem("functionssync.key", key);
  $("signin").hidden = true;
  $("app").hidden = false;
  $("signout").hidden = false;
  await refreshLists();
  follow();
}

function signOut() {
  sessionStorage.removeItem("functionssync.key");
  location.reload();
}

async function refreshLists() {
  // The recent runs after the connections: their names are then mostly known without a read each.
  await Promise.all([refreshConnections().then(refreshRecent), refreshConflicts(), refreshWebhooks()]);
}

// ---- attention summary and schedule
async function refreshStatus() {
  const status = await api("GET", "sync/status");
  state.caller = status.caller;
  state.schedule = status;
  for (const node of document.querySelectorAll("[data-admin]")) node.hidden = !admin();
  $("schedule").textContent = `Syncs ${scheduleText(status.schedule)}: ${status.enabled ? "on" : "stopped"}` + (status.nextRunAt ? `, next cycle ${when(status.nextRunAt)}` : "") + ".";
  $("schedule-toggle").textContent = status.enabled ? "Stop schedule" : "Start schedule";
  renderAttention(status.connections);
}

function renderAttention(counts) {
  const h = counts.health;
  const attention = (h.error ?? 0) + (h.action_required ?? 0) + (h.delayed ?? 0);
  $("attention-summary").textContent = counts.total === 0 ? "No connections yet."
    : attention === 0 ? `All ${plural(counts.total, "connection")} are fine.`
    : `${attention} of ${plural(counts.total, "connection")} need${attention === 1 ? "s" : ""} attention.`;
  const cards = [
    ["error", "Failing", "last run failed"], ["action_required", "Action required", "a person must act (credentials, authorization)"],
    ["delayed", "Late", "not synced within twice their interval"], ["running", "Running", "a run in progress"], ["disabled", "Disabled", "not scheduled"],
  ];
  $("attention").replaceChildren(...cards.map(([health, label, what]) => el("li", {},
    el("button", { type: "button", class: "card " + health + ((h[health] ?? 0) > 0 ? " some" : ""), "aria-pressed": String(state.health === health), title: what,
      onclick: () => filterHealth(state.health === health ? "" : health) },
      el("span", { class: "count" }, String(h[health] ?? 0)), " ", label))));
}

async function scheduleAction(path, body) {
  try { await api("POST", path, body); say("Schedule updated."); } catch (e) { say(e.message); }
  await refreshStatus();
}

async function runFull(body, what) {
  try {
    const a = await api("POST", "sync/run-full", body);
    const skipped = [[a.skippedActive, "already running"], [a.skippedNeedsAttention, "needing attention"], [a.skippedDisabled, "disabled"]]
      .filter(([n]) => n > 0).map(([n, why]) => `${n} ${why}`);
    const named = a.skipped.map(s => `${s.name} (${words(s.reason)})`).join(", ");
    say(`Full sync of ${what}: ${plural(a.queued, "run")} queued` + (skipped.length ? `; skipped ${skipped.join(", ")}: ${named}.` : "."));
  } catch (e) { say(e.message); }
  await refreshConnections();
}

// ---- connections and live runs
function connectionsPath(token) {
  const query = new URLSearchParams({ pageSize: String(CONNECTION_PAGE) });
  if (state.health) query.set("health", state.health);
  if (state.organization) query.set("organizationId", state.organization);
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
  for (const c of list) state.known.set(c.connectionId, c);
  await Promise.all(state.connections.filter(c => c.activeRunId && !state.runs.has(c.activeRunId)).map(c => loadRun(c.activeRunId)));
  renderConnections();
}

async function showMoreConnections() {
  const page = await api("GET", connectionsPath(state.moreConnections));
  state.connections.push(...page.connections);
  for (const c of page.connections) state.known.set(c.connectionId, c);
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

function shown() {
  const term = state.search.trim().toLowerCase();
  const list = state.connections.filter(c => !term || c.name.toLowerCase().includes(term) || c.externalStoreId.toLowerCase().includes(term));
  const by = {
    name: (a, b) => a.name.localeCompare(b.name),
    health: (a, b) => HEALTH_ORDER.indexOf(a.health) - HEALTH_ORDER.indexOf(b.health) || a.name.localeCompare(b.name),
    last_run: (a, b) => (b.lastRunFinishedAt ?? "").localeCompare(a.lastRunFinishedAt ?? "") || a.name.localeCompare(b.name),
  };
  return list.sort(by[state.sort] ?? by.name);
}

function renderConnections() {
  const list = shown();
  const byOrg = Map.groupBy(list, c => c.organizationId);
  const container = $("connections");
  container.replaceChildren();
  for (const [org, rows] of [...byOrg].sort(([a], [b]) => a.localeCompare(b))) {
    container.append(el("div", { class: "org" }, el("h3", {}, org),
      el("button", { type: "button", onclick: () => runFull({ organizationId: org }, org) }, "Full sync of ", org)));
    container.append(el("table", {},
      el("thead", {}, el("tr", {}, ["Connection", "Marketplace", "Health", "Last run", "Last error", "Progress", "Actions"].map(t => el("th", { scope: "col" }, t)))),
      el("tbody", {}, rows.map(connectionRow))));
  }
  if (list.length === 0) {
    container.append(el("p", {}, state.connections.length > 0 ? "No connection matches the search."
      : state.moreConnections ? "None on this page." : state.health ? "No connections with this health." : "No connections."));
  }
  $("connections-more").hidden = !state.moreConnections;
}

function connectionRow(c) {
  // The active run, else the last run this page saw (its bar stays at its final value).
  const run = (c.activeRunId && state.runs.get(c.activeRunId)) || state.latest.get(c.connectionId) || null;
  const active = run && !FINAL.includes(run.status);
  const progress = run
    ? el("span", {},
        el("progress", { max: "100", value: String(run.percentComplete ?? 0), "aria-label": `Progress of ${c.name}`, "data-run": run.runId, "data-status": run.status }),
        // A paused run makes no progress: no time left is shown for it; a stalled one says so instead of a guess.
        ` ${run.percentComplete ?? 0}% `, badge(run.status), " ", active && run.status !== "paused" ? eta(run) : "")
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
  const streak = c.failureStreak > 0 ? el("span", { class: "streak" }, plural(c.failureStreak, "failure") + " in a row") : "";
  return el("tr", { "data-connection": c.connectionId, "data-name": c.name },
    el("th", { scope: "row" }, c.name, el("br"), el("span", { class: "muted" }, c.externalStoreId)),
    el("td", {}, c.marketplace),
    el("td", { class: "health" }, badge(c.health), c.staleSince ? el("span", { title: `Missing its freshness objective since ${when(c.staleSince)}` }, " ", badge("stale")) : ""),
    el("td", {}, c.lastRunStatus ? badge(c.lastRunStatus) : "", " ", ago(c.lastRunFinishedAt)),
    el("td", { class: "last-error" }, c.lastError ? el("span", { title: c.lastError }, c.lastError.length > 140 ? c.lastError.slice(0, 140) + "…" : c.lastError) : "", c.lastError && streak ? el("br") : "", streak),
    el("td", { class: "progress" }, progress),
    el("td", { class: "actions" }, actions));
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

// ---- ended runs across connections (GET /api/run-history: newest first, paged, by final status)
function recentPath(token) {
  const query = new URLSearchParams({ pageSize: RECENT_PAGE });
  if (state.recentStatus) query.set("status", state.recentStatus);
  if (token) query.set("continuationToken", token);
  return "run-history?" + query;
}

async function refreshRecent() {
  const page = await api("GET", recentPath());
  await Promise.all(page.runs.map(r => connectionInfo(r.connectionId)));
  state.recent = page.runs;
  state.moreRecent = page.continuationToken;
  renderRecent();
}

async function showMoreRecent() {
  const page = await api("GET", recentPath(state.moreRecent));
  await Promise.all(page.runs.map(r => connectionInfo(r.connectionId)));
  state.recent.push(...page.runs);
  state.moreRecent = page.continuationToken;
  renderRecent();
}

/** "orders 120 · products 40": what each entity type read. */
const recordsByType = run => run.entities.length ? run.entities.map(e => `${e.entityType} ${e.counters.processed}`).join(" · ") : String(run.counters.processed);

function renderRecent() {
  const container = $("recent");
  $("recent-more").hidden = !state.moreRecent;
  if (state.recent.length === 0) {
    container.replaceChildren(el("p", {}, state.recentStatus ? `No run ended ${words(state.recentStatus)}.` : "No run has ended yet."));
    return;
  }
  const name = run => `${run.organizationId} / ${run.marketplace} / ${state.known.get(run.connectionId)?.name ?? run.connectionId}`;
  container.replaceChildren(el("table", { class: "history", id: "recent-runs" },
    el("caption", {}, `${plural(state.recent.length, "ended run")}, newest first`),
    el("thead", {}, el("tr", {}, ["Started", "Connection", "Status", "Mode", "Trigger", "Duration", "Records", "Requests", "Error"].map(t => el("th", { scope: "col" }, t)))),
    el("tbody", {}, state.recent.map(run => el("tr", { "data-run": run.runId },
      el("td", {}, ago(run.startedAt ?? run.createdAt)), el("td", {}, name(run)), el("td", {}, badge(run.status)), el("td", {}, words(run.mode)), el("td", {}, words(run.trigger)),
      el("td", {}, duration(run.durationMs)), el("td", {}, recordsByType(run)),
      el("td", {}, `${run.marketplaceCalls.requests}${run.marketplaceCalls.throttled ? ` (${run.marketplaceCalls.throttled} throttled)` : ""}`),
      el("td", { class: "muted" }, run.error ?? ""))))));
}

// ---- a connection's history
async function showConnectionRuns(listed) {
  // Read afresh: the row was drawn before the runs since (its tokens and error may have changed).
  const [c, history] = await Promise.all([api("GET", `connections/${listed.connectionId}`), api("GET", `connections/${listed.connectionId}/runs?pageSize=${HISTORY_RUNS}`)]);
  const detail = $("run-detail");
  detail.replaceChildren(el("h3", {}, `Runs of ${c.name}`));
  if (c.tokens) detail.append(tokenHealth(c.tokens));
  if (c.lastError) detail.append(el("p", { class: "last-error" }, `Last error${c.failureStreak > 0 ? ` (${plural(c.failureStreak, "failure")} in a row)` : ""}: ${c.lastError}`));
  if (history.runs.length === 0) { detail.append(el("p", {}, "No runs yet.")); return; }
  detail.append(runChart(c, history.runs));
  detail.append(el("table", { class: "history" },
    el("caption", {}, `Last ${plural(history.runs.length, "run")}, newest first`),
    el("thead", {}, el("tr", {}, ["Started", "Status", "Mode", "Trigger", "Duration", "Records", "Requests", "Error"].map(t => el("th", { scope: "col" }, t)))),
    el("tbody", {}, history.runs.map(run => el("tr", { "data-run": run.runId },
      el("td", {}, ago(run.startedAt ?? run.createdAt)), el("td", {}, badge(run.status)), el("td", {}, words(run.mode)), el("td", {}, words(run.trigger)),
      el("td", {}, duration(run.durationMs)), el("td", {}, String(run.counters.processed)),
      el("td", {}, `${run.marketplaceCalls.requests}${run.marketplaceCalls.throttled ? ` (${run.marketplaceCalls.throttled} throttled)` : ""}`),
      el("td", { class: "muted" }, run.error ?? ""))))));
  for (const run of history.runs.slice(0, 3)) detail.append(runArticle(run));
}

function runArticle(run) {
  return el("article", { "aria-label": `Run ${run.runId}` },
    el("p", {}, badge(run.status), ` ${words(run.mode)}, ${words(run.trigger)}, started ${when(run.startedAt)}, ${duration(run.durationMs)} running, ${plural(run.marketplaceCalls.requests, "request")} (${run.marketplaceCalls.throttled} throttled)`),
    el("table", {},
      el("thead", {}, el("tr", {}, ["Entity", "State", "Total", "Created", "Updated", "Unchanged", "Failed", "Skipped", "Missing", "Deleted", "Lag p95"].map(t => el("th", { scope: "col" }, t)))),
      el("tbody", {}, run.entities.map(e => el("tr", {}, el("th", { scope: "row" }, e.entityType), el("td", { class: "entity-state" }, words(e.state)),
        ...["total", "created", "updated", "unchanged", "failed", "skipped", "missing", "deleted"].map(k => el("td", {}, String(e.counters[k]))),
        el("td", {}, e.freshness ? `${e.freshness.p95Seconds} s (${plural(e.freshness.changes, "change")})` : "—"))))),
    run.error ? el("p", { class: "muted" }, "Error: " + run.error) : "",
    run.recordErrors.length ? el("ul", {}, run.recordErrors.map(r => el("li", {}, r))) : "");
}

/**
 * The connection's last runs, oldest to newest: a bar per run for its duration (red when it failed) and a dot for the
 * records it read, each on its own scale, so a slowdown or a drop to zero shows at a glance.
 */
function runChart(c, runs) {
  const points = [...runs].reverse();
  const width = 640, height = 160, pad = 28, step = (width - 2 * pad) / points.length;
  const maxMs = Math.max(1, ...points.map(r => r.durationMs ?? 0));
  const maxRecords = Math.max(1, ...points.map(r => r.counters.processed));
  const y = (v, max) => height - pad - (height - 2 * pad) * v / max;
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img",
    "aria-label": `Last ${points.length} runs of ${c.name}: durations up to ${duration(maxMs)}, records up to ${maxRecords}; the newest took ${duration(points.at(-1).durationMs)} and read ${points.at(-1).counters.processed} records.` });
  chart.append(svg("line", { x1: pad, y1: height - pad, x2: width - pad, y2: height - pad, class: "axis" }));
  chart.append(svg("text", { x: 2, y: pad - 10, class: "legend" }, `duration (bars, up to ${duration(maxMs)}) · records (dots, up to ${maxRecords})`));
  points.forEach((r, i) => {
    const x = pad + i * step;
    const top = y(r.durationMs ?? 0, maxMs);
    chart.append(svg("rect", { x: x + step * 0.15, y: top, width: step * 0.7, height: height - pad - top, class: "bar " + r.status },
      svg("title", {}, `${when(r.startedAt ?? r.createdAt)}: ${r.status}, ${duration(r.durationMs)}, ${r.counters.processed} records`)));
    chart.append(svg("circle", { cx: x + step / 2, cy: y(r.counters.processed, maxRecords), r: 3.5, class: "dot" }));
  });
  return el("figure", {}, chart, el("figcaption", { class: "muted" }, "Oldest left, newest right."));
}

// Where the marketplace expires access tokens: when the one in use expires, the last refresh, the refresh token's age.
function tokenHealth(t) {
  const age = t.refreshTokenAgeDays == null ? "" : `, refresh token ${t.refreshTokenAgeDays} of 90 days old`;
  const failures = t.refreshFailures ? `, ${t.refreshFailures} failed refresh${t.refreshFailures === 1 ? "" : "es"} in a row` : "";
  return el("p", { class: "tokens" }, `Access token ${t.accessTokenExpiresAt ? "expires " + when(t.accessTokenExpiresAt) : "not yet obtained"}`,
    `, last refreshed ${t.lastRefreshAt ? when(t.lastRefreshAt) : "never"}${age}${failures}${t.refreshing ? " (refreshing now)" : ""}.`);
}

// ---- conflicts
async function connectionInfo(id) {
  if (!state.known.has(id)) {
    try { state.known.set(id, await api("GET", `connections/${id}`)); } catch { state.known.set(id, { connectionId: id, name: id, externalStoreId: "" }); }
  }
  return state.known.get(id);
}

async function refreshConflicts() {
  // Waiting for a person (open) or for the automatic policy's next try (retrying): both can be resolved now.
  const [open, retrying] = await Promise.all(["open", "retrying"].map(status => api("GET", "conflicts?pageSize=200&status=" + status)));
  const list = [...open.conflicts, ...retrying.conflicts];
  await Promise.all([...new Set(list.map(c => c.connectionId))].map(connectionInfo));
  const container = $("conflicts");
  container.replaceChildren();
  if (list.length === 0) { container.append(el("p", {}, "No open conflicts.")); return; }
  container.append(el("table", {},
    el("thead", {}, el("tr", {}, ["Organization", "Connection", "Type", "Record", "Message", "Resolution"].map(t => el("th", { scope: "col" }, t)))),
    el("tbody", {}, list.map(conflictRow))));
}

function conflictRow(c) {
  const connection = state.known.get(c.connectionId);
  const select = el("select", { id: `resolution-${c.id}` }, c.resolutions.map(r => el("option", { value: r }, words(r))));
  const note = el("input", { id: `note-${c.id}`, type: "text", placeholder: "note" });
  const row = el("tr", { "data-conflict": c.id },
    el("td", {}, c.organizationId),
    el("td", {}, connection?.name ?? c.connectionId, el("br"), el("span", { class: "muted" }, `${connection?.marketplace ?? ""} ${connection?.externalStoreId ?? ""}`)),
    el("td", {}, words(c.type), " ", badge(c.status)),
    el("td", {}, `${c.entityType ?? ""} ${c.externalId ?? ""}`),
    el("td", {}, c.message),
    el("td", {},
      c.type === "data_mismatch" && c.source ? el("button", { type: "button", onclick: () => compare(c, row) }, "Compare versions") : "",
      el("label", { for: select.id }, "Resolution"), select,
      el("label", { for: note.id }, "Note"), note,
      el("button", { type: "button", onclick: async () => {
        try { await api("POST", `conflicts/${c.id}/resolve`, { resolution: select.value, note: note.value || undefined }); say("Conflict resolved."); }
        catch (e) { say(e.message); }
        await refreshConflicts();
      } }, "Resolve")));
  return row;
}

/** The stored (local) version beside the marketplace's, one field a row, the fields that differ marked. */
async function compare(c, row) {
  const next = row.nextElementSibling;
  if (next?.classList.contains("compare")) { next.remove(); return; }
  let local = {};
  try { local = (await api("GET", `connections/${c.connectionId}/records/${c.entityType}/${encodeURIComponent(c.externalId)}`)).record; }
  catch (e) { say(e.message); }
  const source = c.source ?? {};
  const fields = [...new Set([...Object.keys(local), ...Object.keys(source)])].filter(k => !k.startsWith("$")).sort();
  const show = v => v === undefined ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v);
  const rows = fields.map(f => {
    const differs = JSON.stringify(local[f]) !== JSON.stringify(source[f]);
    return el("tr", { class: differs ? "differs" : "" },
      el("th", { scope: "row" }, f), el("td", {}, show(local[f])), el("td", {}, show(source[f])), el("td", {}, differs ? "differs" : ""));
  });
  row.after(el("tr", { class: "compare" }, el("td", { colspan: "6" },
    el("table", { "aria-label": `Versions of ${c.entityType} ${c.externalId}` },
      el("thead", {}, el("tr", {}, ["Field", "Stored here (local change)", "Marketplace", ""].map(t => el("th", { scope: "col" }, t || "Differs")))),
      el("tbody", {}, rows)))));
}

// ---- webhooks
async function refreshWebhooks() {
  const list = (await api("GET", "webhooks")).webhooks;
  const container = $("webhooks");
  container.replaceChildren();
  if (list.length === 0) { container.append(el("p", {}, "No webhook endpoints.")); return; }
  for (const w of list) {
    const deliveries = el("div", { id: `deliveries-${w.id}` });
    const failedOnly = el("input", { type: "checkbox", id: `failed-only-${w.id}` });
    failedOnly.addEventListener("change", () => showDeliveries(w, deliveries, failedOnly.checked));
    container.append(el("article", { "aria-label": `Endpoint ${w.targetUrl}` },
      el("p", {}, el("strong", {}, w.targetUrl), ` — ${w.events.join(", ")} — `, el("span", { class: "badge " + (w.enabled ? "succeeded" : "failed") }, w.enabled ? "enabled" : "disabled"), w.enabled ? "" : ` ${w.disabledReason ?? ""}`),
      el("button", { type: "button", onclick: () => showDeliveries(w, deliveries, failedOnly.checked) }, "Deliveries"),
      failedOnly, el("label", { for: failedOnly.id }, "Failed only"),
      deliveries));
  }
}

async function showDeliveries(w, container, failedOnly) {
  const list = (await api("GET", `webhooks/${w.id}/deliveries`)).deliveries.filter(d => !failedOnly || d.status === "failed" || d.lastError);
  await Promise.all([...new Set(list.map(d => d.connectionId).filter(Boolean))].map(connectionInfo));
  container.replaceChildren(list.length === 0 ? el("p", {}, failedOnly ? "No failed deliveries." : "No deliveries yet.") : el("table", {},
    el("thead", {}, el("tr", {}, ["Time", "Event", "Connection", "Run", "Status", "Attempts", "Last error", "Actions"].map(t => el("th", { scope: "col" }, t)))),
    el("tbody", {}, list.map(d => deliveryRow(d)))));
}

function deliveryRow(d) {
  const row = el("tr", { "data-delivery": d.id },
    el("td", {}, ago(d.createdAt)), el("td", {}, d.eventType),
    el("td", {}, d.connectionId ? state.known.get(d.connectionId)?.name ?? d.connectionId : "—"),
    el("td", { class: "muted" }, d.runId ?? "—"),
    el("td", { class: "status" }, badge(d.status)), el("td", { class: "attempts" }, String(d.attempts)), el("td", { class: "error" }, d.lastError ?? ""),
    el("td", {},
      el("button", { type: "button", onclick: () => payload(d, row) }, "Payload"),
      el("button", { type: "button", onclick: () => replay(d, row) }, "Replay")));
  return row;
}

async function payload(d, row) {
  const next = row.nextElementSibling;
  if (next?.classList.contains("payload")) { next.remove(); return; }
  const detail = await api("GET", `webhooks/deliveries/${d.id}`);
  // Focusable: a scrolling region must be reachable from the keyboard.
  row.after(el("tr", { class: "payload" }, el("td", { colspan: "8" }, el("pre", { tabindex: "0", "aria-label": `Payload of delivery ${d.id}` }, JSON.stringify(detail.payload, null, 2)))));
}

/** Sends the delivery again, then follows it until its new attempt is in (or a minute passes). */
async function replay(d, row) {
  try { await api("POST", `webhooks/deliveries/${d.id}/replay`); say("Delivery replayed."); } catch (e) { say(e.message); return; }
  for (let i = 0; i < 60; i++) {
    const current = (await api("GET", `webhooks/deliveries/${d.id}`)).delivery;
    row.querySelector(".status").replaceChildren(badge(current.status));
    row.querySelector(".attempts").textContent = String(current.attempts);
    row.querySelector(".error").textContent = current.lastError ?? "";
    if (current.status !== "pending" && current.attempts > 0) { say(`Delivery replayed: ${words(current.status)} after ${plural(current.attempts, "attempt")}.`); return; }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
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
      refreshSoon(async () => { await refreshConnections(); await refreshStatus(); if (type === "run.finished") await refreshRecent(); });
    }
  } else if (type.startsWith("conflict.")) {
    refreshConflicts().catch(() => {});
  }
}

// ---- wiring
function filterHealth(health) {
  state.health = health;
  $("health-filter").value = health;
  state.connectionPages = 1;
  if (state.schedule) renderAttention(state.schedule.connections);
  refreshConnections().catch(e => say(e.message));
}

$("signin-form").addEventListener("submit", event => { event.preventDefault(); signIn($("key").value.trim()); });
$("signout").addEventListener("click", signOut);
$("connections-more").addEventListener("click", () => showMoreConnections().catch(e => say(e.message)));
$("health-filter").addEventListener("change", () => filterHealth($("health-filter").value));
$("organization-filter").addEventListener("change", () => {
  state.organization = $("organization-filter").value.trim();
  state.connectionPages = 1;
  refreshConnections().catch(e => say(e.message));
});
$("recent-status").addEventListener("change", () => { state.recentStatus = $("recent-status").value; refreshRecent().catch(e => say(e.message)); });
$("recent-more").addEventListener("click", () => showMoreRecent().catch(e => say(e.message)));
$("search").addEventListener("input", () => { state.search = $("search").value; renderConnections(); });
$("sort").addEventListener("change", () => { state.sort = $("sort").value; renderConnections(); });
$("schedule-toggle").addEventListener("click", () => scheduleAction(state.schedule?.enabled ? "sync/stop" : "sync/start"));
$("full-sync-all").addEventListener("click", () => runFull({ all: true }, "every organization"));
$("interval-form").addEventListener("submit", event => { event.preventDefault(); scheduleAction("sync/interval", { minutes: Number($("interval-minutes").value) }); });
if (state.key) signIn(state.key);
