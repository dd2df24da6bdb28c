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
    const input = f.options
      ? el('select', { name: f.name }, el('option', { value: '', text: 'any' }),
        f.options.map((v) => el('option', { value: v, text: v.replace(/_/g, ' '), selected: v === values[f.name] ? 'selected' : null })))
      : f.type === 'checkbox'
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

// The UI's static JSON (vocabularies, map outlines), fetched once per page load.
const staticCache = new Map();
function staticJson(path) {
  if (!staticCache.has(path)) {
    const p = fetch(path).then((r) => {
      if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
      return r.json();
    });
    p.catch(() => staticCache.delete(path));
    staticCache.set(path, p);
  }
  return staticCache.get(path);
}

// Pan (drag the background) and zoom (wheel, or the buttons) by rewriting the SVG's
// viewBox: strokes and labels stay crisp and no library is needed. `unitsPerPx` turns a
// pointer's movement in screen pixels into SVG units of the current view.
function panZoom(root, W, H) {
  const vb = { x: 0, y: 0, w: W, h: H };
  const apply = () => root.setAttribute('viewBox', `${vb.x} ${vb.y} ${vb.w} ${vb.h}`);
  const unitsPerPx = () => {
    const m = root.getScreenCTM();
    return m && m.a ? 1 / m.a : 1;
  };
  const toSvg = (ev) => {
    const m = root.getScreenCTM();
    if (!m) return { x: vb.x + vb.w / 2, y: vb.y + vb.h / 2 };
    const p = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(m.inverse());
    return { x: p.x, y: p.y };
  };
  // Zooms by `f` keeping the point (px, py) where it is on screen.
  const zoom = (f, px, py) => {
    const w = Math.min(W * 2, Math.max(W / 30, vb.w / f));
    const r = w / vb.w;
    const cx = px === undefined ? vb.x + vb.w / 2 : px;
    const cy = py === undefined ? vb.y + vb.h / 2 : py;
    vb.x = cx - (cx - vb.x) * r; vb.y = cy - (cy - vb.y) * r;
    vb.w = w; vb.h = w * H / W;
    apply();
  };
  const reset = () => { Object.assign(vb, { x: 0, y: 0, w: W, h: H }); apply(); };
  root.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    const p = toSvg(ev);
    zoom(ev.deltaY < 0 ? 1.25 : 0.8, p.x, p.y);
  }, { passive: false });
  let pan = null;
  root.addEventListener('pointerdown', (ev) => {
    if (ev.button !== 0 || ev.target.closest('.node, .place, .event')) return;
    pan = { id: ev.pointerId, x: ev.clientX, y: ev.clientY, vx: vb.x, vy: vb.y, k: unitsPerPx() };
    root.setPointerCapture(ev.pointerId);
    root.classList.add('panning');
  });
  root.addEventListener('pointermove', (ev) => {
    if (!pan || ev.pointerId !== pan.id) return;
    vb.x = pan.vx - (ev.clientX - pan.x) * pan.k;
    vb.y = pan.vy - (ev.clientY - pan.y) * pan.k;
    apply();
  });
  const stop = () => { pan = null; root.classList.remove('panning'); };
  root.addEventListener('pointerup', stop);
  root.addEventListener('pointercancel', stop);
  const controls = el('div', { className: 'zoombar' },
    el('button', { type: 'button', text: '+', title: 'zoom in', 'aria-label': 'zoom in', onclick: () => zoom(1.5) }),
    el('button', { type: 'button', text: '−', title: 'zoom out', 'aria-label': 'zoom out', onclick: () => zoom(1 / 1.5) }),
    el('button', { type: 'button', text: 'fit', title: 'show everything', onclick: reset }),
    el('span', { className: 'muted', text: ' wheel to zoom, drag the background to pan' }));
  return { controls, unitsPerPx };
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
  out.push(el('h2', null, `Relations (${d.relations.length}) `,
    d.relations.length ? el('a', { className: 'small', href: '#/graph' + qs({ focus: e.id }), text: 'show in the network' }) : null));
  for (const [type, lines] of groups) {
    out.push(el('h3', { text: type.replace(/_/g, ' ') }), el('ul', { className: 'relations' }, lines.map((r) =>
      el('li', { className: contested(r) ? 'contested' : null },
        r.direction === 'out' ? '→ ' : '← ', actorLink(r.other, r.other_name), ' ',
        badge(r.stance, 'stance-' + r.stance), contested(r) ? badge('contested', 'warn') : null,
        r.attributed_to ? el('span', { className: 'muted', text: ` according to ${(d.names || {})[r.attributed_to] || r.attributed_to}` }) : null,
        ' ', docLink(r.doc), el('div', null, quote(r.text))))));
  }

  out.push(el('h2', { text: `Figures (${d.figures.length})` }), table(
    ['Period', 'Metric', 'Value', 'Unit', 'Source', 'Document', 'Text'],
    d.figures.map((f, i) => {
      const dispute = d.figure_disputes[i];
      return el('tr', { className: dispute ? 'disputed' : null, title: dispute ? 'disputed: ' + dispute : null },
        el('td', { text: f.period || '' }), el('td', { text: f.metric }),
        el('td', { className: 'num' }, fmtValue(f), f.hedged ? badge('hedged') : null, dispute ? badge(dispute.replace(/_/g, ' '), 'warn') : null),
        el('td', { text: f.unit }), el('td', { text: (d.names || {})[f.source] || f.source || '' }), el('td', null, docLink(f.doc)), el('td', null, quote(f.text)));
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
  const [list, outline] = await Promise.all([api('events', params), staticJson('/outline.json')]);
  const mapped = list.items.some((ev) => Number.isFinite(ev.place_lat) && Number.isFinite(ev.place_lon));
  return [el('h1', { text: 'Events' }), form, mapped ? regionMap(outline, [], list.items) : null,
    pager(list, (offset) => setHashParams('events', { ...params, offset })), eventList(list.items)];
}

// The map's window over Pakistan and Afghanistan, in degrees. Places and events outside
// it are counted under the map, not drawn.
const MAP_VIEW = { minLon: 57, maxLon: 81, minLat: 23.4, maxLat: 38.6 };

// Country outlines (Natural Earth, see /outline.json), the registry's provinces and
// districts, and events grouped by place, in an equirectangular projection squeezed by
// the cosine of the region's middle latitude (true enough at this size). Every place and
// event group is a link.
function regionMap(outline, places, events) {
  const V = MAP_VIEW, S = 44, kx = Math.cos((((V.minLat + V.maxLat) / 2) * Math.PI) / 180);
  const W = Math.round((V.maxLon - V.minLon) * kx * S), H = Math.round((V.maxLat - V.minLat) * S);
  const x = (lon) => ((lon - V.minLon) * kx * S).toFixed(1);
  const y = (lat) => ((V.maxLat - lat) * S).toFixed(1);
  const within = (lat, lon) => Number.isFinite(lat) && Number.isFinite(lon)
    && lat >= V.minLat && lat <= V.maxLat && lon >= V.minLon && lon <= V.maxLon;
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, className: 'map', role: 'img', 'aria-label': 'map of Pakistan and Afghanistan' });
  root.append(svg('rect', { x: -W, y: -H, width: 3 * W, height: 3 * H, className: 'sea' }));
  for (const c of (outline && outline.countries) || []) {
    const d = c.rings.map((r) => 'M' + r.map(([lon, lat]) => x(lon) + ',' + y(lat)).join('L') + 'Z').join('');
    const focus = c.iso2 === 'PK' || c.iso2 === 'AF';
    const path = svg('path', { d, className: 'country' + (focus ? ' focus' : '') });
    const title = svg('title');
    title.textContent = c.name;
    path.append(title);
    root.append(path);
    if (focus) {
      // The label sits at the middle of the outline's box, which falls inside both.
      const pts = c.rings.flat();
      const lons = pts.map((p) => p[0]), lats = pts.map((p) => p[1]);
      const label = svg('text', { x: x((Math.min(...lons) + Math.max(...lons)) / 2), y: y((Math.min(...lats) + Math.max(...lats)) / 2), className: 'country-label' });
      label.textContent = c.name.toUpperCase();
      root.append(label);
    }
  }
  let outside = 0;
  const placeLayer = svg('g', { className: 'places' });
  // Districts first, so provinces draw over them.
  const order = (p) => (p.type === 'province' ? 1 : 0);
  for (const p of [...places].sort((a, b) => order(a) - order(b))) {
    if (!within(p.lat, p.lon)) continue;
    const g = svg('g', { className: `place place-${p.type}` + (p.mentions ? ' mentioned' : ''), tabindex: 0 });
    g.append(p.type === 'province'
      ? svg('rect', { x: Number(x(p.lon)) - 3.5, y: Number(y(p.lat)) - 3.5, width: 7, height: 7 })
      : svg('circle', { cx: x(p.lon), cy: y(p.lat), r: p.mentions ? 3 : 2 }));
    if (p.type === 'province' || p.mentions) {
      const label = svg('text', { x: Number(x(p.lon)) + 6, y: Number(y(p.lat)) + 4 });
      label.textContent = p.canonical;
      g.append(label);
    }
    const title = svg('title');
    title.textContent = `${p.canonical} · ${p.type}${p.parent ? ' in ' + p.parent : ''} · ${p.mentions || 0} mentions`;
    g.append(title);
    const go = () => { location.hash = actorHref(p.id); };
    g.addEventListener('click', go);
    g.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') go(); });
    placeLayer.append(g);
  }
  root.append(placeLayer);
  const byPlace = new Map();
  for (const ev of events) {
    if (!within(ev.place_lat, ev.place_lon)) { outside++; continue; }
    if (!byPlace.has(ev.place)) byPlace.set(ev.place, []);
    byPlace.get(ev.place).push(ev);
  }
  const eventLayer = svg('g', { className: 'events' });
  for (const [place, evs] of byPlace) {
    const first = evs[0];
    const g = svg('g', { className: 'event', tabindex: 0, 'data-place': place });
    g.append(svg('circle', { cx: x(first.place_lon), cy: y(first.place_lat), r: 5 + Math.min(12, 3 * Math.sqrt(evs.length)) }));
    const count = svg('text', { x: x(first.place_lon), y: Number(y(first.place_lat)) + 4, className: 'count' });
    count.textContent = String(evs.length);
    const title = svg('title');
    title.textContent = `${first.place_name || place}: ${evs.length} event(s)\n` + evs.map((ev) => `${ev.date || 'undated'} ${ev.type}`).join('\n');
    g.append(count, title);
    const go = () => { location.hash = '#/events' + qs({ place }); };
    g.addEventListener('click', go);
    g.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') go(); });
    eventLayer.append(g);
  }
  root.append(eventLayer);
  const pz = panZoom(root, W, H);
  return el('figure', { className: 'mapbox' }, pz.controls, root,
    el('figcaption', { className: 'muted' },
      el('span', { className: 'legend-event', text: '●' }), ' events at a place (click: its events)',
      places.length ? [' ', el('span', { className: 'legend-province', text: '■' }), ' province ',
        el('span', { className: 'legend-district', text: '•' }), ' district (click: its dossier)'] : null,
      outside ? `; ${outside} event(s) outside this map or without a known place` : '',
      '. Outlines: Natural Earth (public domain).'));
}

async function mapPage(args, params) {
  const form = filterForm('map', [
    { name: 'actor', label: 'Actor' },
    { name: 'from', label: 'From', placeholder: 'YYYY' }, { name: 'to', label: 'To', placeholder: 'YYYY' },
  ], params);
  const [outline, provinces, districts, events] = await Promise.all([
    staticJson('/outline.json'),
    api('entities', { type: 'province', limit: 500 }),
    api('entities', { type: 'district', limit: 500 }),
    api('events', { actor: params.actor, from: params.from, to: params.to, limit: 500 }),
  ]);
  const counts = new Map();
  for (const ev of events.items) {
    if (ev.place) counts.set(ev.place, (counts.get(ev.place) || 0) + 1);
  }
  const names = new Map(events.items.map((ev) => [ev.place, ev.place_name || ev.place]));
  const rows = [...counts].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
  return [el('h1', { text: 'Map' }), form,
    regionMap(outline, [...provinces.items, ...districts.items], events.items),
    el('h2', { text: `Places with events (${rows.length})` }),
    table(['Place', 'Events'], rows.map(([place, n]) => el('tr', null,
      el('td', null, actorLink(place, names.get(place))),
      el('td', { className: 'num' }, el('a', { href: '#/events' + qs({ place }), text: n })))))];
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

const claimHref = (doc, kind, start, end) => `#/claim/${encodeURIComponent(doc)}/${kind}/${start}-${end}`;

// The document with every extracted span highlighted. Spans are byte offsets into the
// UTF-8 text, so the text is cut as bytes and each piece decoded on its own. Hovering (or
// focusing) a span lists in the side panel what was extracted there and by which rule;
// clicking opens the innermost: a mention's entity, or the claim (figure, relation, event).
async function docPage(args) {
  const d = await api('documents/' + encodeURIComponent(args[0] || ''));
  const doc = d.document;
  const names = d.entities || {};
  const name = (id) => (id && names[id]) || id || '';
  const claim = (kind, c) => claimHref(doc.doc, kind, c.start, c.end);
  const anns = [];
  for (const m of d.mentions) anns.push({ kind: 'mention', start: m.start, end: m.end, rule: m.rule, href: actorHref(m.entity), label: `mention of ${name(m.entity)}` });
  for (const f of d.figures) anns.push({ kind: 'figure', start: f.start, end: f.end, rule: f.rule, href: claim('figure', f), label: `${f.metric.replace(/_/g, ' ')} ${fmtValue(f)} ${f.unit}` + (f.subject ? ` (${name(f.subject)})` : '') + (f.period ? `, ${f.period}` : '') + (f.hedged ? ', hedged' : '') + (f.source ? `, per ${f.source}` : '') });
  for (const r of d.relations) anns.push({ kind: 'relation', start: r.start, end: r.end, rule: r.rule, href: claim('relation', r), label: `${name(r.source)} ${r.type.replace(/_/g, ' ')} ${name(r.target)} [${r.stance}]` + (r.attributed_to ? ` according to ${name(r.attributed_to)}` : '') });
  for (const ev of d.events) anns.push({ kind: 'event', start: ev.start, end: ev.end, rule: ev.rule, href: claim('event', ev), label: `${ev.type} ${ev.date || 'undated'}` + (ev.perpetrator ? ` by ${name(ev.perpetrator)}` : '') + (ev.place ? ` at ${name(ev.place)}` : '') });
  const text = doc.text || '';
  const url = safeUrl(doc.url);
  const inspector = el('aside', { className: 'inspector', 'aria-live': 'polite' },
    el('p', { className: 'muted', text: 'Hover a highlighted span to see what was extracted there and by which rule; click it to open the entity or claim.' }));
  return [el('h1', { text: doc.title || doc.doc }),
    el('p', { className: 'muted' }, [doc.published, doc.publisher, doc.author].filter(Boolean).join(' · '), ' ',
      url ? el('a', { href: url, rel: 'noopener noreferrer', target: '_blank', text: 'original' }) : null),
    el('p', { className: 'legend' }, ['mention', 'figure', 'relation', 'event'].map((k) => el('span', { className: 'ann ann-' + k, text: k })),
      el('span', { className: 'muted', text: ` ${anns.length} annotations; hover for details, click to open the entity or claim` })),
    el('div', { className: 'docview' }, highlighted(text, anns, inspector), inspector)];
}

// Fills the side panel with the annotations covering one piece of text, innermost first.
function inspect(panel, covering) {
  panel.replaceChildren(el('h3', { text: 'Extracted here' }), el('ul', null, covering.map((x) =>
    el('li', { className: 'extraction' },
      el('span', { className: 'ann ann-' + x.kind, text: x.kind }), ' ',
      el('a', { href: x.href, text: x.label }),
      el('div', { className: 'rule' }, 'rule ', el('code', { text: x.rule || 'unknown' }),
        el('span', { className: 'muted', text: ` · bytes ${x.start}–${x.end}` }))))));
}

function highlighted(text, anns, panel) {
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
    const span = el('span', {
      className: 'ann ann-' + inner.kind + (covering.length > 1 ? ' nested' : ''),
      title: covering.map((x) => `${x.kind} · ${x.label} · rule ${x.rule}`).join('\n'),
      tabindex: 0,
      text: piece,
    });
    const show = () => { if (panel) inspect(panel, covering); };
    span.addEventListener('mouseenter', show);
    span.addEventListener('focus', show);
    const go = () => { location.hash = inner.href; };
    span.addEventListener('click', go);
    span.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') go(); });
    box.append(span);
  }
  return box;
}

// One claim (or mention) of a document: its fields, entity links, the paragraph it sits
// in with the span marked, and for a figure whether other sources dispute it. Addressed
// by document, kind and byte span, which is what the store keys annotations by.
const ENTITY_FIELDS = new Set(['entity', 'subject', 'place', 'source', 'target', 'perpetrator', 'attributed_to']);

async function claimPage(args) {
  const [docId, kind, range] = args;
  const [start, end] = String(range || '').split('-').map(Number);
  const d = await api('documents/' + encodeURIComponent(docId || ''));
  const lists = { mention: d.mentions, figure: d.figures, relation: d.relations, event: d.events };
  const found = (lists[kind] || []).filter((c) => c.start === start && c.end === end);
  if (!found.length) throw new Error(`no ${kind || 'claim'} at bytes ${range || '?'} of ${docId || '?'}`);
  const names = d.entities || {};
  const doc = d.document;
  const out = [el('h1', null, kind.charAt(0).toUpperCase() + kind.slice(1), ' ', badge(`${found.length} at bytes ${start}–${end}`)),
    el('p', { className: 'muted' }, 'in ', docLink(doc.doc, doc.title || doc.doc), ' ', [doc.published, doc.publisher].filter(Boolean).join(' · '))];
  out.push(el('h2', { text: 'In context' }), context(doc.text || '', start, end));
  for (const c of found) {
    const rows = Object.entries(c).filter(([k, v]) => !['start', 'end', 'doc', 'text'].includes(k) && v !== null && v !== undefined && v !== '')
      .map(([k, v]) => el('tr', null, el('th', { text: k.replace(/_/g, ' ') }),
        // Literal (unlinked) subjects and places are text, not ids: no link for them.
        el('td', null, ENTITY_FIELDS.has(k) && typeof v === 'string' && names[v] ? actorLink(v, names[v])
          : typeof v === 'object' ? JSON.stringify(v) : String(v))));
    const card = el('section', { className: 'card' }, el('table', { className: 'fields' }, el('tbody', null, rows)));
    if (kind === 'figure' && c.subject) {
      const figs = await api('figures', { subject: c.subject, metric: c.metric, limit: 500 }).catch(() => null);
      const same = figs && figs.items.find((f) => f.doc === c.doc && f.start === c.start && f.end === c.end);
      if (same && same.dispute) {
        card.append(el('p', null, badge(same.dispute.replace(/_/g, ' '), 'warn'), ' other sources give other values: ', el('a', { href: '#/disputes', text: 'see the disputes board' })));
      }
    }
    if (kind === 'relation') {
      card.append(el('p', null, actorLink(c.source, names[c.source]), ' ', badge(c.stance, 'stance-' + c.stance), ' ', actorLink(c.target, names[c.target])));
    }
    out.push(card);
  }
  return out;
}

// The paragraph around a byte span, with the span marked.
function context(text, start, end) {
  const bytes = new TextEncoder().encode(text);
  const dec = new TextDecoder();
  const s = Math.max(0, Math.min(start, bytes.length)), e = Math.max(s, Math.min(end, bytes.length));
  const before = dec.decode(bytes.subarray(0, s)), after = dec.decode(bytes.subarray(e));
  const pStart = before.lastIndexOf('\n\n');
  const pEnd = after.indexOf('\n\n');
  return el('blockquote', { className: 'context' },
    pStart < 0 ? before : before.slice(pStart + 2),
    el('mark', { text: dec.decode(bytes.subarray(s, e)) }),
    pEnd < 0 ? after : after.slice(0, pEnd));
}

// The actor network drawn as SVG with a small force layout of our own. Filters go to
// the server (type, stance, and a date range over the stating documents' dates); drag a
// node to move it, drag the background to pan, wheel or buttons to zoom, click a node to
// open its dossier.
async function graphPage(args, params) {
  const vocab = await staticJson('/vocab.json');
  const form = filterForm('graph', [
    { name: 'focus', label: 'Highlight', placeholder: 'actor id or name' },
    { name: 'type', label: 'Relation', options: vocab.relation_types },
    { name: 'stance', label: 'Stance', options: vocab.stances },
    { name: 'from', label: 'From', placeholder: 'YYYY-MM-DD' },
    { name: 'to', label: 'To', placeholder: 'YYYY-MM-DD' },
  ], params);
  const g = await api('graph', { type: params.type, stance: params.stance, from: params.from, to: params.to });
  const nodes = g.nodes.map((n) => ({ ...n, x: 0, y: 0, dx: 0, dy: 0, degree: 0, lines: [] }));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges = g.edges.filter((e) => byId.has(e.source) && byId.has(e.target) && e.source !== e.target);
  for (const e of edges) { byId.get(e.source).degree++; byId.get(e.target).degree++; }
  const { W, H } = packLayout(nodes, edges.map((e) => [byId.get(e.source), byId.get(e.target)]), 960);

  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, className: 'graph', role: 'img', 'aria-label': 'actor network' });
  root.append(svg('rect', { x: -W, y: -H, width: 3 * W, height: 3 * H, className: 'backdrop' }));
  for (const e of edges) {
    const s = byId.get(e.source), t = byId.get(e.target);
    const line = svg('line', { x1: s.x, y1: s.y, x2: t.x, y2: t.y, className: 'edge stance-' + e.stance, 'stroke-width': Math.min(6, 1 + e.docs), 'data-type': e.type });
    const title = svg('title');
    title.textContent = `${s.name} ${e.type.replace(/_/g, ' ')} ${t.name} (${e.stance}; ${e.count} statements in ${e.docs} documents)`;
    line.append(title);
    s.lines.push([line, '1', t]);
    t.lines.push([line, '2', s]);
    root.append(line);
  }
  const pz = panZoom(root, W, H);
  // `focus` (from an actor page's link) keeps one actor and its neighbours lit.
  let focused = null;
  const want = String(params.focus || '').trim().toLowerCase();
  const isFocus = (n) => want !== '' && (n.id.toLowerCase() === want || String(n.name).toLowerCase() === want);
  for (const n of nodes) {
    const grp = svg('g', { className: 'node', transform: `translate(${n.x},${n.y})`, tabindex: 0, 'data-id': n.id });
    grp.append(svg('circle', { r: 5 + Math.min(12, 2 * n.degree), className: 'type-' + (n.type || 'unknown') }));
    const label = svg('text', { x: 10, y: 4 });
    label.textContent = n.name;
    const title = svg('title');
    title.textContent = `${n.name} (${n.type || 'unknown'}, ${n.degree} edges): click to open, drag to move`;
    grp.append(label, title);
    const moveTo = (x, y) => {
      n.x = x; n.y = y;
      grp.setAttribute('transform', `translate(${x},${y})`);
      for (const [line, end] of n.lines) { line.setAttribute('x' + end, x); line.setAttribute('y' + end, y); }
    };
    // A press that moves more than a few pixels is a drag, and its click is swallowed.
    let drag = null, dragged = false;
    grp.addEventListener('pointerdown', (ev) => {
      if (ev.button !== 0) return;
      drag = { id: ev.pointerId, x: ev.clientX, y: ev.clientY, nx: n.x, ny: n.y, k: pz.unitsPerPx() };
      dragged = false;
      grp.setPointerCapture(ev.pointerId);
    });
    grp.addEventListener('pointermove', (ev) => {
      if (!drag || ev.pointerId !== drag.id) return;
      const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
      if (!dragged && Math.hypot(dx, dy) < 4) return;
      dragged = true;
      grp.classList.add('dragging');
      moveTo(drag.nx + dx * drag.k, drag.ny + dy * drag.k);
    });
    const stop = () => { drag = null; grp.classList.remove('dragging'); };
    grp.addEventListener('pointerup', stop);
    grp.addEventListener('pointercancel', stop);
    // Hovering an actor dims everything but it, its neighbours and their edges.
    n.el = grp;
    const light = (on) => {
      root.classList.toggle('hl', on);
      grp.classList.toggle('on', on);
      for (const [line, , other] of n.lines) { line.classList.toggle('on', on); other.el.classList.toggle('on', on); }
    };
    grp.addEventListener('pointerenter', () => light(true));
    grp.addEventListener('pointerleave', () => {
      if (drag) return;
      light(false);
      if (focused) focused(true);
    });
    if (isFocus(n)) focused = light;
    const go = () => { location.hash = actorHref(n.id); };
    grp.addEventListener('click', () => { if (dragged) { dragged = false; return; } go(); });
    grp.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') go(); });
    root.append(grp);
  }
  if (focused) focused(true);
  const filtered = ['type', 'stance', 'from', 'to'].some((k) => params[k]);
  return [el('h1', { text: 'Network' }), form,
    el('p', { className: 'muted', text: `${nodes.length} actors, ${edges.length} edges${filtered ? ' (filtered)' : ''}. Grey: asserted; red dashed: denied; amber dotted: alleged or speculative; thickness: documents. Click an actor to open it, drag it to move it.` }),
    nodes.length ? [pz.controls, root] : el('p', { text: filtered ? 'No relation matches these filters.' : 'No relations yet.' })];
}

// Lays out each connected component on its own and packs the components in rows,
// biggest first: one force layout over everything flings the small components to the
// walls. Returns the size of the drawing.
function packLayout(nodes, links, minWidth) {
  const parent = new Map(nodes.map((n) => [n, n]));
  const find = (n) => {
    while (parent.get(n) !== n) { parent.set(n, parent.get(parent.get(n))); n = parent.get(n); }
    return n;
  };
  for (const [a, b] of links) parent.set(find(a), find(b));
  const comps = new Map();
  for (const n of nodes) {
    const r = find(n);
    if (!comps.has(r)) comps.set(r, []);
    comps.get(r).push(n);
  }
  const groups = [...comps.values()].sort((a, b) => b.length - a.length || a[0].name.localeCompare(b[0].name));
  const LABEL = 150; // room right of the box for the names of its rightmost nodes
  const boxes = groups.map((g) => {
    // Two or three actors read best in a column: their names, right of each node, then
    // cannot run into each other.
    if (g.length <= 3) {
      g.forEach((n, i) => { n.x = 20; n.y = 20 + 45 * i; });
      return { g, w: 40, h: 45 * g.length };
    }
    const side = Math.round(75 * Math.sqrt(g.length)) + 40;
    const members = new Set(g);
    g.forEach((n, i) => {
      const a = (2 * Math.PI * i) / g.length;
      n.x = side / 2 + (side / 3) * Math.cos(a); n.y = side / 2 + (side / 3) * Math.sin(a);
    });
    layout(g, links.filter(([a]) => members.has(a)), side, side);
    return { g, w: side, h: side };
  });
  const W = Math.max(minWidth, ...boxes.map((b) => b.w + LABEL));
  let x = 0, y = 0, rowH = 0;
  for (const { g, w, h } of boxes) {
    if (x > 0 && x + w + LABEL > W) { x = 0; y += rowH; rowH = 0; }
    for (const n of g) { n.x += x; n.y += y; }
    x += w + LABEL; rowH = Math.max(rowH, h);
  }
  return { W, H: Math.max(200, y + rowH) };
}

// Fruchterman–Reingold style: all pairs repel, edges pull, a weak pull to the centre,
// and a cooling step size. Deterministic (no randomness), so a reload looks the same.
function layout(nodes, links, W, H) {
  const k = Math.sqrt((W * H) / Math.max(1, nodes.length)) * 0.6;
  let temp = W / 8;
  // All-pairs repulsion is quadratic: past a few hundred nodes only near pairs repel,
  // and big components get fewer rounds.
  const grid = nodes.length > 200 ? new Map() : null;
  const cell = 2 * k;
  const rounds = Math.max(80, Math.min(250, Math.round(3e7 / (nodes.length * nodes.length + 1))));
  for (let iter = 0; iter < rounds; iter++) {
    for (const n of nodes) { n.dx = 0; n.dy = 0; }
    const repel = (i, j) => {
      const a = nodes[i], b = nodes[j];
      let dx = a.x - b.x, dy = a.y - b.y;
      let d = Math.hypot(dx, dy);
      if (d < 0.01) { dx = 0.01 * (i - j); dy = 0.01; d = Math.hypot(dx, dy); }
      if (grid && d > cell) return;
      const f = (k * k) / d;
      a.dx += (dx / d) * f; a.dy += (dy / d) * f;
      b.dx -= (dx / d) * f; b.dy -= (dy / d) * f;
    };
    if (grid) {
      // Only pairs within two ideal lengths repel (the grid variant of the algorithm):
      // nodes are bucketed in cells of that size and meet only their 3×3 neighbourhood.
      grid.clear();
      nodes.forEach((n, i) => {
        const key = Math.floor(n.x / cell) * 65536 + Math.floor(n.y / cell);
        if (!grid.has(key)) grid.set(key, []);
        grid.get(key).push(i);
      });
      nodes.forEach((n, i) => {
        const gx = Math.floor(n.x / cell), gy = Math.floor(n.y / cell);
        for (let ox = -1; ox <= 1; ox++) {
          for (let oy = -1; oy <= 1; oy++) {
            for (const j of grid.get((gx + ox) * 65536 + gy + oy) || []) if (j > i) repel(i, j);
          }
        }
      });
    } else {
      for (let i = 0; i < nodes.length; i++) for (let j = i + 1; j < nodes.length; j++) repel(i, j);
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
  map: mapPage,
  claim: claimPage,
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
  // aria-busy and a render counter tell assistive technology, and the end-to-end
  // tests, when a page has finished drawing.
  main.setAttribute('aria-busy', 'true');
  main.replaceChildren(el('p', { className: 'muted', text: 'Loading…' }));
  let content;
  try {
    content = page ? await page(parts.slice(1), params) : [el('h1', { text: 'Not found' }), el('p', { text: 'No such page.' })];
  } catch (e) {
    content = [el('p', { className: 'error', text: e.message })];
  }
  if (seq === renderSeq) {
    main.replaceChildren(...[content].flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
    main.setAttribute('aria-busy', 'false');
    main.dataset.rendered = String(seq);
    window.scrollTo(0, 0);
  }
}

window.addEventListener('hashchange', render);
window.addEventListener('DOMContentLoaded', render);
