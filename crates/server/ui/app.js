// Dossier's browser UI: vanilla JS, hash routing, no third-party code.
// Rule: article text and every other datum goes into the page with textContent (via
// el()), never parsed as HTML, so a hostile article cannot run script here.
'use strict';

// ---------- helpers ----------

function el(tag, props, ...children) {
  const n = document.createElement(tag);
  setProps(n, props);
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    n.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return n;
}

function svg(tag, props) {
  const n = document.createElementNS('http://www.w3.org/2000/svg', tag);
  setProps(n, props);
  return n;
}

function setProps(n, props) {
  for (const [k, v] of Object.entries(props || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') n.textContent = String(v);
    else if (k.startsWith('on')) n.addEventListener(k.slice(2), v);
    else n.setAttribute(k === 'className' ? 'class' : k, String(v));
  }
}

// Only web links are followed; a javascript: URL from an article's metadata is dropped.
function safeUrl(u) {
  return typeof u === 'string' && /^https?:\/\//i.test(u) ? u : null;
}

function qs(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== '' && v !== false) p.set(k, String(v));
  }
  const s = p.toString();
  return s ? '?' + s : '';
}

async function api(path, params) {
  const resp = await fetch('/api/' + path + qs(params || {}), { headers: { Accept: 'application/json' } });
  let body = null;
  try { body = await resp.json(); } catch (_) { body = null; }
  if (!resp.ok) throw new Error((body && body.error) || ('HTTP ' + resp.status));
  return body;
}

const actorHref = (id) => '#/actor/' + encodeURIComponent(id);
const docHref = (id) => '#/doc/' + encodeURIComponent(id);
const actorLink = (id, name) => el('a', { href: actorHref(id), text: name || id });
const docLink = (id, label) => el('a', { href: docHref(id), text: label || id });
const badge = (text, cls) => el('span', { className: 'badge ' + (cls || ''), text });
const quote = (text) => el('q', { className: 'quote', text });

function fmtValue(f) {
  const n = (x) => Number(x).toLocaleString('en');
  let v = n(f.value);
  if (f.value_max !== null && f.value_max !== undefined) v += '–' + n(f.value_max);
  if (f.bound && f.bound !== 'exact') v = f.bound.replace(/_/g, ' ') + ' ' + v;
  return v;
}

function table(headers, rows) {
  return el('table', null,
    el('thead', null, el('tr', null, headers.map((h) => el('th', { text: h })))),
    el('tbody', null, rows));
}

// Prev/next links for a List response; `go(offset)` renders another page.
function pager(list, go) {
  const box = el('div', { className: 'pager' });
  const end = list.offset + list.items.length;
  box.append(el('span', { text: list.items.length ? `${list.offset + 1}–${end}` + (list.total !== null ? ` of ${list.total}` : '') : 'nothing found' }));
  if (list.offset > 0) box.append(el('button', { type: 'button', text: '← previous', onclick: () => go(Math.max(0, list.offset - list.limit)) }));
  const more = list.total !== null ? end < list.total : list.items.length === list.limit;
  if (more) box.append(el('button', { type: 'button', text: 'next →', onclick: () => go(list.offset + list.limit) }));
  return box;
}

// A filter form whose fields mirror the hash query; submitting rewrites the hash.
function filterForm(route, fields, values) {
  const form = el('form', { className: 'filters' });
  for (const f of fields) {
    const input = f.type === 'checkbox'
      ? el('input', { type: 'checkbox', name: f.name, checked: values[f.name] ? 'checked' : null })
      : el('input', { type: f.type || 'text', name: f.name, placeholder: f.placeholder || '', value: values[f.name] || '' });
    form.append(el('label', null, f.label + ' ', input));
  }
  form.append(el('button', { type: 'submit', text: 'Go' }));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const out = {};
    for (const f of fields) {
      const input = form.elements[f.name];
      out[f.name] = f.type === 'checkbox' ? (input.checked ? '1' : '') : input.value.trim();
    }
    location.hash = '#/' + route + qs(out);
  });
  return form;
}

function setHashParams(route, params) {
  location.hash = '#/' + route + qs(params);
}

// ---------- pages ----------

async function searchPage(args, params) {
  const form = filterForm('', [
    { name: 'q', label: 'Search', placeholder: 'words, or FTS syntax with raw' },
    { name: 'raw', label: 'raw', type: 'checkbox' },
    { name: 'publisher', label: 'Publisher' },
    { name: 'from', label: 'From', placeholder: 'YYYY-MM-DD' },
    { name: 'to', label: 'To', placeholder: 'YYYY-MM-DD' },
  ], params);
  const out = [el('h1', { text: 'Search' }), form];
  if (!params.q) {
    const stats = await api('stats');
    out.push(el('p', { className: 'muted', text: `${stats.documents} documents, ${stats.entities} entities, ${stats.relations} relations, ${stats.figures} figures, ${stats.events} events.` }));
    return out;
  }
  const list = await api('search', params);
  out.push(pager(list, (offset) => setHashParams('', { ...params, offset })));
  out.push(el('ol', { className: 'hits' }, list.items.map((h) => el('li', null,
    el('div', null, docLink(h.doc, h.title || h.doc), ' ',
      el('span', { className: 'muted', text: [h.published, h.publisher].filter(Boolean).join(' · ') })),
    snippet(h.snippet)))));
  return out;
}

// Snippets mark matches with « and »; they become <mark> elements, text stays text.
function snippet(s) {
  const p = el('p', { className: 'snippet' });
  const parts = String(s).split('«');
  p.append(parts[0]);
  for (const part of parts.slice(1)) {
    const close = part.indexOf('»');
    if (close < 0) { p.append(part); continue; }
    p.append(el('mark', { text: part.slice(0, close) }), part.slice(close + 1));
  }
  return p;
}

async function entitiesPage(args, params) {
  const form = filterForm('entities', [
    { name: 'q', label: 'Name' },
    { name: 'type', label: 'Type', placeholder: 'armed_group, person, …' },
  ], params);
  const list = await api('entities', params);
  return [el('h1', { text: 'Actors and places' }), form,
    pager(list, (offset) => setHashParams('entities', { ...params, offset })),
    table(['Name', 'Type', 'Mentions', 'Aliases'], list.items.map((e) => el('tr', null,
      el('td', null, actorLink(e.id, e.canonical), e.discovered ? badge('discovered') : null),
      el('td', { text: e.type }),
      el('td', { className: 'num', text: e.mentions }),
      el('td', { className: 'muted', text: (e.aliases || []).join(', ') }))))];
}

async function actorPage(args) {
  const d = await api('entities/' + encodeURIComponent(args[0] || ''));
  const e = d.entity;
  const out = [el('h1', null, e.canonical, ' ', badge(e.type)),
    el('p', { className: 'muted' },
      [e.role, e.country, e.discovered ? 'discovered in text' : 'registry',
        d.first_seen ? `seen ${d.first_seen} – ${d.last_seen}` : null].filter(Boolean).join(' · '))];

  out.push(el('h2', { text: 'Aliases' }), table(['Alias', 'Mentions', 'First document', 'Defined in'],
    d.aliases.map((a) => el('tr', null, el('td', { text: a.alias }), el('td', { className: 'num', text: a.mentions }),
      el('td', null, a.first_doc ? docLink(a.first_doc) : ''), el('td', null, a.learned_in ? docLink(a.learned_in) : '')))));

  // Relations grouped by type; a pair some sources assert and others deny is marked.
  const contested = (line) => d.contested.some((c) => {
    const src = line.direction === 'out' ? e.id : line.other;
    const tgt = line.direction === 'out' ? line.other : e.id;
    return c.source === src && c.target === tgt;
  });
  const groups = new Map();
  for (const r of d.relations) {
    if (!groups.has(r.type)) groups.set(r.type, []);
    groups.get(r.type).push(r);
  }
  out.push(el('h2', { text: `Relations (${d.relations.length})` }));
  for (const [type, lines] of groups) {
    out.push(el('h3', { text: type.replace(/_/g, ' ') }), el('ul', { className: 'relations' }, lines.map((r) =>
      el('li', { className: contested(r) ? 'contested' : null },
        r.direction === 'out' ? '→ ' : '← ', actorLink(r.other, r.other_name), ' ',
        badge(r.stance, 'stance-' + r.stance), contested(r) ? badge('contested', 'warn') : null,
        r.attributed_to ? el('span', { className: 'muted', text: ` according to ${r.attributed_to}` }) : null,
        ' ', docLink(r.doc), el('div', null, quote(r.text))))));
  }

  out.push(el('h2', { text: `Figures (${d.figures.length})` }), table(
    ['Period', 'Metric', 'Value', 'Unit', 'Source', 'Document', 'Text'],
    d.figures.map((f, i) => {
      const dispute = d.figure_disputes[i];
      return el('tr', { className: dispute ? 'disputed' : null, title: dispute ? 'disputed: ' + dispute : null },
        el('td', { text: f.period || '' }), el('td', { text: f.metric }),
        el('td', { className: 'num' }, fmtValue(f), f.hedged ? badge('hedged') : null, dispute ? badge(dispute.replace(/_/g, ' '), 'warn') : null),
        el('td', { text: f.unit }), el('td', { text: f.source || '' }), el('td', null, docLink(f.doc)), el('td', null, quote(f.text)));
    })));

  out.push(el('h2', { text: `Events (${d.events.length})` }), eventList(d.events, d.names));
  out.push(el('h2', { text: `Documents (${d.documents.length})` }), el('ul', null, d.documents.map(([doc, title, published, n]) =>
    el('li', null, docLink(doc, title || doc), el('span', { className: 'muted', text: ` ${published || ''} · ${n} mentions` })))));
  return out;
}

// `names` maps entity ids to display names; events from /api/events carry their own.
function eventList(events, names) {
  const label = (ev, role) => ev[role + '_name'] || (names && names[ev[role]]) || ev[role];
  return el('ol', { className: 'timeline' }, events.map((ev) => el('li', null,
    el('strong', { text: ev.date || 'undated' }), ' ', badge(ev.type), ' ',
    ev.perpetrator ? actorLink(ev.perpetrator, label(ev, 'perpetrator')) : null,
    ev.target ? [' → ', actorLink(ev.target, label(ev, 'target'))] : null,
    ev.place ? [' at ', actorLink(ev.place, label(ev, 'place'))] : null,
    ev.killed !== null && ev.killed !== undefined ? el('span', { className: 'muted', text: ` ${ev.killed} killed` }) : null,
    ev.injured !== null && ev.injured !== undefined ? el('span', { className: 'muted', text: ` ${ev.injured} injured` }) : null,
    ' ', docLink(ev.doc), el('div', null, quote(ev.text)))));
}

async function eventsPage(args, params) {
  const form = filterForm('events', [
    { name: 'actor', label: 'Actor' }, { name: 'place', label: 'Place' },
    { name: 'from', label: 'From', placeholder: 'YYYY' }, { name: 'to', label: 'To', placeholder: 'YYYY' },
  ], params);
  const list = await api('events', params);
  return [el('h1', { text: 'Events' }), form, eventMap(list.items),
    pager(list, (offset) => setHashParams('events', { ...params, offset })), eventList(list.items)];
}

// Events of this page as dots at their place's coordinates (equirectangular over the
// points' own bounding box: the region is small enough for that to read right).
function eventMap(events) {
  const pts = events.filter((ev) => Number.isFinite(ev.place_lat) && Number.isFinite(ev.place_lon));
  if (!pts.length) return null;
  const W = 960, H = 360, pad = 30;
  const lats = pts.map((p) => p.place_lat), lons = pts.map((p) => p.place_lon);
  const [minLat, maxLat, minLon, maxLon] = [Math.min(...lats) - 0.5, Math.max(...lats) + 0.5, Math.min(...lons) - 0.5, Math.max(...lons) + 0.5];
  const scale = Math.min((W - 2 * pad) / (maxLon - minLon), (H - 2 * pad) / (maxLat - minLat));
  const x = (lon) => pad + (lon - minLon) * scale;
  const y = (lat) => H - pad - (lat - minLat) * scale;
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, className: 'map', role: 'img', 'aria-label': 'events by place' });
  const byPlace = new Map();
  for (const ev of pts) {
    if (!byPlace.has(ev.place)) byPlace.set(ev.place, []);
    byPlace.get(ev.place).push(ev);
  }
  for (const [place, evs] of byPlace) {
    const first = evs[0];
    const grp = svg('g', { className: 'node' });
    grp.append(svg('circle', { cx: x(first.place_lon), cy: y(first.place_lat), r: 4 + Math.min(10, 2 * evs.length) }));
    const label = svg('text', { x: x(first.place_lon) + 8, y: y(first.place_lat) + 4 });
    label.textContent = `${first.place_name || place} (${evs.length})`;
    const title = svg('title');
    title.textContent = evs.map((ev) => `${ev.date || 'undated'} ${ev.type}`).join('\n');
    grp.append(label, title);
    grp.addEventListener('click', () => { location.hash = actorHref(place); });
    root.append(grp);
  }
  return root;
}

async function disputesPage(args, params) {
  const r = await api('disputes', params);
  const out = [el('h1', { text: 'Disputes' }),
    el('h2', { text: `Figures that disagree (${r.disputes.total})` })];
  for (const d of r.disputes.items) {
    out.push(el('section', { className: 'card' },
      el('h3', null, d.topic, ' ', badge(d.classification.replace(/_/g, ' '), 'warn')),
      el('p', { className: 'muted', text: d.explanation }),
      table(['Value', 'Source', 'Document', 'Text'], d.figures.map((f) => el('tr', null,
        el('td', { className: 'num', text: fmtValue(f) }), el('td', { text: f.source || '' }),
        el('td', null, docLink(f.doc)), el('td', null, quote(f.text)))))));
  }
  out.push(el('h2', { text: `Contested relations (${r.contested.total})` }));
  const side = (title, items) => el('div', null, el('h4', { text: title }), el('ul', null, items.map((s) =>
    el('li', null, badge(s.stance, 'stance-' + s.stance), ' ', s.attributed_to || 'author', ' · ', docLink(s.doc), el('div', null, quote(s.text || ''))))));
  for (const c of r.contested.items) {
    out.push(el('section', { className: 'card contested' },
      el('h3', null, actorLink(c.source), ' ', c.class, ' ', actorLink(c.target)),
      el('p', { className: 'muted', text: c.explanation }),
      el('div', { className: 'sides' },
        side(`Asserted (${c.asserted_origins} independent)`, c.asserted),
        side(`Denied (${c.denied_origins} independent)`, c.denied))));
  }
  out.push(pager({ items: r.disputes.items.length >= r.contested.items.length ? r.disputes.items : r.contested.items,
    offset: r.disputes.offset, limit: r.disputes.limit, total: Math.max(r.disputes.total, r.contested.total) },
  (offset) => setHashParams('disputes', { ...params, offset })));
  return out;
}

async function documentsPage(args, params) {
  const list = await api('documents', params);
  return [el('h1', { text: 'Documents' }), uploadForm(),
    pager(list, (offset) => setHashParams('documents', { ...params, offset })),
    table(['Document', 'Published', 'Publisher', 'Characters'], list.items.map((d) => el('tr', null,
      el('td', null, docLink(d.doc, d.title || d.doc), d.near_duplicate_of ? badge('copy of ' + d.near_duplicate_of) : null),
      el('td', { text: d.published || '' }), el('td', { text: d.publisher || '' }),
      el('td', { className: 'num', text: d.chars })))) ];
}

// The token is kept in this page only (never stored): uploads need it each session.
function uploadForm() {
  const file = el('input', { type: 'file', accept: '.txt,.md,.html,.htm,.pdf,.jsonl' });
  const token = el('input', { type: 'password', placeholder: 'token', autocomplete: 'off' });
  const status = el('span', { className: 'muted' });
  const form = el('form', { className: 'filters' }, el('label', null, 'Upload ', file), token,
    el('button', { type: 'submit', text: 'Ingest' }), status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = file.files[0];
    if (!f) { status.textContent = 'choose a file first'; return; }
    status.textContent = 'uploading…';
    try {
      const resp = await fetch('/api/documents' + qs({ name: f.name }), {
        method: 'POST', body: f, headers: { Authorization: 'Bearer ' + token.value },
      });
      const body = await resp.json().catch(() => ({}));
      if (!resp.ok) throw new Error(body.error || 'HTTP ' + resp.status);
      status.textContent = `${body.new} new, ${body.duplicate} duplicate, ${body.near_duplicate} near-duplicate, ${body.rejected} rejected`;
    } catch (e) {
      status.textContent = 'failed: ' + e.message;
    }
  });
  return form;
}

// The document with every extracted span highlighted. Spans are byte offsets into the
// UTF-8 text, so the text is cut as bytes and each piece decoded on its own.
async function docPage(args) {
  const d = await api('documents/' + encodeURIComponent(args[0] || ''));
  const doc = d.document;
  const names = d.entities || {};
  const name = (id) => (id && names[id]) || id || '';
  const anns = [];
  for (const m of d.mentions) anns.push({ kind: 'mention', start: m.start, end: m.end, rule: m.rule, entity: m.entity, label: `mention of ${name(m.entity)}` });
  for (const f of d.figures) anns.push({ kind: 'figure', start: f.start, end: f.end, rule: f.rule, entity: f.subject, label: `figure: ${f.metric} ${fmtValue(f)} ${f.unit}` + (f.subject ? ` (${name(f.subject)})` : '') });
  for (const r of d.relations) anns.push({ kind: 'relation', start: r.start, end: r.end, rule: r.rule, entity: r.source, label: `relation: ${name(r.source)} ${r.type} ${name(r.target)} [${r.stance}]` });
  for (const ev of d.events) anns.push({ kind: 'event', start: ev.start, end: ev.end, rule: ev.rule, entity: ev.perpetrator, label: `event: ${ev.type} ${ev.date || ''}` });
  const text = doc.text || '';
  const url = safeUrl(doc.url);
  return [el('h1', { text: doc.title || doc.doc }),
    el('p', { className: 'muted' }, [doc.published, doc.publisher, doc.author].filter(Boolean).join(' · '), ' ',
      url ? el('a', { href: url, rel: 'noopener noreferrer', target: '_blank', text: 'original' }) : null),
    el('p', { className: 'legend' }, ['mention', 'figure', 'relation', 'event'].map((k) => el('span', { className: 'ann ann-' + k, text: k })),
      el('span', { className: 'muted', text: ` ${anns.length} annotations; hover for details, click to open the entity` })),
    highlighted(text, anns)];
}

function highlighted(text, anns) {
  const bytes = new TextEncoder().encode(text);
  const dec = new TextDecoder();
  const valid = anns.filter((a) => Number.isInteger(a.start) && Number.isInteger(a.end) && a.start < a.end && a.end <= bytes.length);
  const cuts = new Set([0, bytes.length]);
  for (const a of valid) { cuts.add(a.start); cuts.add(a.end); }
  const points = [...cuts].sort((x, y) => x - y);
  const box = el('article', { className: 'doctext' });
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i], b = points[i + 1];
    const piece = dec.decode(bytes.subarray(a, b));
    const covering = valid.filter((x) => x.start <= a && x.end >= b);
    if (!covering.length) { box.append(piece); continue; }
    // The innermost annotation (shortest span) gives the colour and the click target.
    covering.sort((x, y) => (x.end - x.start) - (y.end - y.start));
    const inner = covering[0];
    const target = (covering.find((x) => x.kind === 'mention') || inner).entity;
    const span = el('span', {
      className: 'ann ann-' + inner.kind + (covering.length > 1 ? ' nested' : ''),
      title: covering.map((x) => `${x.kind} · ${x.label} · rule ${x.rule}`).join('\n'),
      text: piece,
    });
    if (target) span.addEventListener('click', () => { location.hash = actorHref(target); });
    box.append(span);
  }
  return box;
}

// The actor network drawn as SVG with a small force layout of our own.
async function graphPage() {
  const g = await api('graph');
  const W = 960, H = 640;
  const nodes = g.nodes.map((n, i) => {
    const a = (2 * Math.PI * i) / Math.max(1, g.nodes.length);
    return { ...n, x: W / 2 + (W / 3) * Math.cos(a), y: H / 2 + (H / 3) * Math.sin(a), dx: 0, dy: 0, degree: 0 };
  });
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges = g.edges.filter((e) => byId.has(e.source) && byId.has(e.target) && e.source !== e.target);
  for (const e of edges) { byId.get(e.source).degree++; byId.get(e.target).degree++; }
  layout(nodes, edges.map((e) => [byId.get(e.source), byId.get(e.target)]), W, H);

  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, className: 'graph', role: 'img', 'aria-label': 'actor network' });
  for (const e of edges) {
    const s = byId.get(e.source), t = byId.get(e.target);
    const line = svg('line', { x1: s.x, y1: s.y, x2: t.x, y2: t.y, className: 'edge stance-' + e.stance, 'stroke-width': Math.min(6, 1 + e.docs) });
    const title = svg('title');
    title.textContent = `${s.name} ${e.type} ${t.name} (${e.stance}; ${e.count} statements in ${e.docs} documents)`;
    line.append(title);
    root.append(line);
  }
  for (const n of nodes) {
    const grp = svg('g', { className: 'node', transform: `translate(${n.x},${n.y})`, tabindex: 0 });
    grp.append(svg('circle', { r: 5 + Math.min(12, 2 * n.degree), className: 'type-' + (n.type || 'unknown') }));
    const label = svg('text', { x: 10, y: 4 });
    label.textContent = n.name;
    grp.append(label);
    const go = () => { location.hash = actorHref(n.id); };
    grp.addEventListener('click', go);
    grp.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') go(); });
    root.append(grp);
  }
  return [el('h1', { text: 'Network' }),
    el('p', { className: 'muted', text: `${nodes.length} actors, ${edges.length} edges. Red dashed: denied; thickness: documents. Click an actor.` }),
    nodes.length ? root : el('p', { text: 'No relations yet.' })];
}

// Fruchterman–Reingold style: all pairs repel, edges pull, a weak pull to the centre,
// and a cooling step size. Deterministic (no randomness), so a reload looks the same.
function layout(nodes, links, W, H) {
  const k = Math.sqrt((W * H) / Math.max(1, nodes.length)) * 0.6;
  let temp = W / 8;
  for (let iter = 0; iter < 250; iter++) {
    for (const n of nodes) { n.dx = 0; n.dy = 0; }
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        const a = nodes[i], b = nodes[j];
        let dx = a.x - b.x, dy = a.y - b.y;
        let d = Math.hypot(dx, dy);
        if (d < 0.01) { dx = 0.01 * (i - j); dy = 0.01; d = Math.hypot(dx, dy); }
        const f = (k * k) / d;
        a.dx += (dx / d) * f; a.dy += (dy / d) * f;
        b.dx -= (dx / d) * f; b.dy -= (dy / d) * f;
      }
    }
    for (const [a, b] of links) {
      const dx = a.x - b.x, dy = a.y - b.y;
      const d = Math.max(0.01, Math.hypot(dx, dy));
      const f = (d * d) / k;
      a.dx -= (dx / d) * f; a.dy -= (dy / d) * f;
      b.dx += (dx / d) * f; b.dy += (dy / d) * f;
    }
    for (const n of nodes) {
      n.dx += (W / 2 - n.x) * 0.02 * k / 10;
      n.dy += (H / 2 - n.y) * 0.02 * k / 10;
      const d = Math.max(0.01, Math.hypot(n.dx, n.dy));
      n.x = Math.min(W - 40, Math.max(20, n.x + (n.dx / d) * Math.min(d, temp)));
      n.y = Math.min(H - 20, Math.max(20, n.y + (n.dy / d) * Math.min(d, temp)));
    }
    temp = Math.max(1, temp * 0.97);
  }
}

// ---------- routing ----------

const ROUTES = {
  '': searchPage,
  entities: entitiesPage,
  actor: actorPage,
  events: eventsPage,
  disputes: disputesPage,
  graph: graphPage,
  documents: documentsPage,
  doc: docPage,
};

let renderSeq = 0;

async function render() {
  const seq = ++renderSeq;
  const main = document.getElementById('main');
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query] = [raw.split('?')[0], raw.split('?').slice(1).join('?')];
  const parts = path.split('/').map((p) => { try { return decodeURIComponent(p); } catch (_) { return p; } });
  const params = Object.fromEntries(new URLSearchParams(query));
  const page = ROUTES[parts[0]] || null;
  main.replaceChildren(el('p', { className: 'muted', text: 'Loading…' }));
  let content;
  try {
    content = page ? await page(parts.slice(1), params) : [el('h1', { text: 'Not found' }), el('p', { text: 'No such page.' })];
  } catch (e) {
    content = [el('p', { className: 'error', text: e.message })];
  }
  if (seq === renderSeq) {
    main.replaceChildren(...[content].flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
    window.scrollTo(0, 0);
  }
}

window.addEventListener('hashchange', render);
window.addEventListener('DOMContentLoaded', render);
