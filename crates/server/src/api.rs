//! The read routes: each turns its query string into one engine or store call and
//! answers with JSON. Lists are read whole and paged here (the stores Dossier serves are
//! article collections, thousands of records, so totals are cheap and filters the
//! store does not have — relation type, stance — stay simple).

use crate::cache::{entity_key, Derived, Rendered};
use crate::error::ApiError;
use crate::params::{opt, List, Page, Params, Segment};
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use axum::Json;
use dossier_engine::Engine;
use dossier_model::{EntityType, Figure, Metric, Relation, RelationType, Stance};
use dossier_store::{Filter, SearchMode, SearchQuery, Store};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::str::FromStr;

type JsonResult = Result<Json<Value>, ApiError>;

fn to_json<T: Serialize>(v: &T) -> JsonResult {
    serde_json::to_value(v)
        .map(Json)
        .map_err(ApiError::internal)
}

/// A closed-vocabulary parameter (`type`, `stance`, `metric`), checked so a typo is a
/// 400 listing the allowed values rather than an empty result.
fn vocab<T: FromStr<Err = String>>(v: &Option<String>) -> Result<Option<T>, ApiError> {
    opt(v)
        .map(|s| T::from_str(s).map_err(ApiError::bad_request))
        .transpose()
}

/// A user-typed name as an entity id; unknown names are kept literally (literal figure
/// subjects and places are stored as text).
fn resolve_or_literal(engine: &Engine, name: Option<&str>) -> Result<Option<String>, ApiError> {
    name.map(|n| Ok(engine.resolve(n)?.unwrap_or_else(|| n.to_string())))
        .transpose()
}

/// Entity id → canonical name, for labels.
fn names(engine: &Engine) -> Result<HashMap<String, String>, ApiError> {
    Ok(engine
        .store()
        .entities()?
        .into_iter()
        .map(|e| (e.id, e.canonical))
        .collect())
}

fn truthy(v: &Option<String>) -> bool {
    matches!(
        opt(v).map(str::to_ascii_lowercase).as_deref(),
        Some("1" | "true" | "yes" | "on")
    )
}

#[derive(Deserialize)]
pub struct SearchParams {
    q: Option<String>,
    raw: Option<String>,
    publisher: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

pub async fn search(
    State(state): State<AppState>,
    Params(p): Params<SearchParams>,
    Params(page): Params<Page>,
) -> JsonResult {
    let text = opt(&p.q)
        .ok_or_else(|| ApiError::bad_request("give the words to search for in `q`"))?
        .to_string();
    let limit = page.limit()?;
    let query = SearchQuery {
        text,
        mode: if truthy(&p.raw) {
            SearchMode::Raw
        } else {
            SearchMode::Safe
        },
        publisher: opt(&p.publisher).map(str::to_string),
        from: opt(&p.from).map(str::to_string),
        to: opt(&p.to).map(str::to_string),
        limit: Some(limit),
        offset: page.offset,
    };
    let hits = state
        .with_reader(move |store| Ok(store.search(&query)?))
        .await?;
    to_json(&List {
        items: hits,
        total: None,
        limit,
        offset: page.offset,
    })
}

/// Counts of everything stored: a count over every table (milliseconds on 10,000
/// documents), so kept per store generation like the dossiers.
pub async fn stats(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let fast = {
        let cache = state.cache();
        tokio::task::spawn_blocking(move || {
            let generation = cache.watched_generation()?.ok()?;
            cache.response(generation, "stats")
        })
        .await
        .map_err(ApiError::internal)?
    };
    if let Some(hit) = fast {
        return Ok(hit.respond(&headers));
    }
    let cache = state.cache();
    let body = state
        .with_engine(move |e| {
            let generation = cache.generation(e)?;
            if let Some(hit) = cache.response(generation, "stats") {
                return Ok(hit);
            }
            let body =
                Rendered::new(serde_json::to_vec(&e.store().stats()?).map_err(ApiError::internal)?);
            cache.put_response(generation, "stats".into(), body.clone());
            Ok(body)
        })
        .await?;
    Ok(body.respond(&headers))
}

#[derive(Deserialize)]
pub struct EntityParams {
    #[serde(rename = "type")]
    entity_type: Option<String>,
    q: Option<String>,
}

#[derive(Serialize)]
struct EntityRow {
    #[serde(flatten)]
    entity: dossier_model::Entity,
    mentions: usize,
}

pub async fn entities(
    State(state): State<AppState>,
    Params(p): Params<EntityParams>,
    Params(page): Params<Page>,
) -> JsonResult {
    let wanted: Option<EntityType> = vocab(&p.entity_type)?;
    let needle = opt(&p.q).map(str::to_lowercase);
    let rows = state
        .with_engine(move |e| {
            let mut counts: HashMap<String, usize> = HashMap::new();
            for m in e.store().mentions(&Filter::default())? {
                *counts.entry(m.entity).or_default() += 1;
            }
            let mut rows: Vec<EntityRow> = e
                .store()
                .entities()?
                .into_iter()
                .filter(|ent| wanted.is_none_or(|t| ent.entity_type == t))
                .filter(|ent| {
                    needle.as_ref().is_none_or(|n| {
                        std::iter::once(&ent.canonical)
                            .chain(&ent.aliases)
                            .chain(std::iter::once(&ent.id))
                            .any(|a| a.to_lowercase().contains(n.as_str()))
                    })
                })
                .map(|entity| EntityRow {
                    mentions: counts.get(&entity.id).copied().unwrap_or(0),
                    entity,
                })
                .collect();
            rows.sort_by(|a, b| {
                b.mentions
                    .cmp(&a.mentions)
                    .then_with(|| a.entity.canonical.cmp(&b.entity.canonical))
            });
            Ok(rows)
        })
        .await?;
    to_json(&page.slice(rows)?)
}

/// The dossier of one entity, with the disputes and contested relations it is part of.
///
/// Answered from the per-generation cache when the store has not changed since it was
/// rendered; otherwise reconciled for this entity alone.
pub async fn entity(
    State(state): State<AppState>,
    headers: HeaderMap,
    Segment(id): Segment,
) -> Result<Response, ApiError> {
    let cache = state.cache();
    // The fast path: a dossier rendered for this generation is sent without the engine.
    let fast = {
        let (cache, id) = (state.cache(), id.clone());
        tokio::task::spawn_blocking(move || {
            let generation = cache.watched_generation()?.ok()?;
            cache.peek_entity(generation, &id)
        })
        .await
        .map_err(ApiError::internal)?
    };
    if let Some(hit) = fast {
        return Ok(hit.respond(&headers));
    }
    // Stale-while-revalidate (see `cache::STALE_FOR`): the last answer for this name,
    // while one background task renders the current one.
    if let Some(stale) = cache.stale(&id) {
        if cache.begin_refresh(&id) {
            let (state, id) = (state.clone(), id.clone());
            tokio::spawn(async move {
                if let Err(e) = render_entity(&state, id.clone()).await {
                    tracing::debug!("background dossier of {id}: {e:?}");
                }
                state.cache().end_refresh(&id);
            });
        }
        let mut resp = stale.respond(&headers);
        resp.headers_mut()
            .insert("x-dossier-stale", HeaderValue::from_static("1"));
        return Ok(resp);
    }
    Ok(render_entity(&state, id).await?.respond(&headers))
}

/// Renders the dossier of `id` for the current generation (cached), and keeps it as the
/// last answer for `id`.
async fn render_entity(state: &AppState, id: String) -> Result<Rendered, ApiError> {
    let cache = state.cache();
    let epoch = cache.epoch();
    let name = id.clone();
    let body = state
        .with_engine(move |e| {
            let generation = cache.generation(e)?;
            // Resolve first so every spelling of a name shares one cache entry; an
            // unknown name falls through to `dossier`, which words the 404.
            let key = cache
                .resolve(generation, &id, || e.resolve(&id))?
                .map(|r| entity_key(&r));
            if let Some(hit) = key.as_ref().and_then(|k| cache.response(generation, k)) {
                return Ok(hit);
            }
            let dossier = e.dossier(&id)?;
            // Only what concerns this entity: the whole store's reconciliation takes
            // tens of seconds on 10,000 documents, this one a fraction of a second.
            let own = &dossier.entity.id;
            let derived = Derived::new(e.reconcile_entity(own)?);
            let figure_disputes: Vec<Option<String>> = dossier
                .figures
                .iter()
                .map(|f| derived.dispute_of(&f.doc, &f.text))
                .collect();
            let contested: Vec<_> = derived
                .rec
                .contested
                .iter()
                .filter(|c| &c.source == own || &c.target == own)
                .collect();
            // Names of the entities the events and figures refer to, for labels.
            let all = cache.names(generation, || names(e))?;
            let referenced: BTreeMap<&str, &str> = dossier
                .events
                .iter()
                .flat_map(|ev| [&ev.perpetrator, &ev.target, &ev.place])
                .chain(
                    dossier
                        .figures
                        .iter()
                        .flat_map(|f| [&f.subject, &f.place, &f.source]),
                )
                .chain(dossier.relations.iter().map(|r| &r.attributed_to))
                .filter_map(|id| id.as_deref())
                .filter_map(|id| all.get(id).map(|n| (id, n.as_str())))
                .collect();
            let mut v = serde_json::to_value(&dossier).map_err(ApiError::internal)?;
            v["figure_disputes"] = json!(figure_disputes);
            v["contested"] = json!(contested);
            v["names"] = json!(referenced);
            let body = Rendered::new(serde_json::to_vec(&v).map_err(ApiError::internal)?);
            if let Some(k) = key {
                cache.put_response(generation, k, body.clone());
            }
            Ok(body)
        })
        .await?;
    state.cache().remember(epoch, &name, &body);
    Ok(body)
}

#[derive(Deserialize)]
pub struct RelationParams {
    entity: Option<String>,
    #[serde(rename = "type")]
    relation_type: Option<String>,
    stance: Option<String>,
}

#[derive(Serialize)]
struct RelationRow {
    #[serde(flatten)]
    relation: Relation,
    source_name: String,
    target_name: String,
}

pub async fn relations(
    State(state): State<AppState>,
    Params(p): Params<RelationParams>,
    Params(page): Params<Page>,
) -> JsonResult {
    let rtype: Option<RelationType> = vocab(&p.relation_type)?;
    let stance: Option<Stance> = vocab(&p.stance)?;
    let rows = state
        .with_engine(move |e| {
            let filter = Filter {
                entity: resolve_or_literal(e, opt(&p.entity))?,
                ..Filter::default()
            };
            let names = names(e)?;
            let name = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_string());
            Ok(e.store()
                .relations(&filter)?
                .into_iter()
                .filter(|r| rtype.is_none_or(|t| r.relation_type == t))
                .filter(|r| stance.is_none_or(|s| r.stance == s))
                .map(|relation| RelationRow {
                    source_name: name(&relation.source),
                    target_name: name(&relation.target),
                    relation,
                })
                .collect::<Vec<_>>())
        })
        .await?;
    to_json(&page.slice(rows)?)
}

#[derive(Deserialize)]
pub struct FigureParams {
    subject: Option<String>,
    metric: Option<String>,
    period: Option<String>,
}

#[derive(Serialize)]
struct FigureRow {
    #[serde(flatten)]
    figure: Figure,
    /// The dispute classification when other sources disagree, else null.
    dispute: Option<String>,
}

pub async fn figures(
    State(state): State<AppState>,
    Params(p): Params<FigureParams>,
    Params(page): Params<Page>,
) -> JsonResult {
    let metric: Option<Metric> = vocab(&p.metric)?;
    let cache = state.cache();
    let rows = state
        .with_engine(move |e| {
            let period = opt(&p.period).map(str::to_string);
            let filter = Filter {
                entity: resolve_or_literal(e, opt(&p.subject))?,
                metric: metric.map(|m| m.as_str().to_string()),
                from: period.clone(),
                to: period,
                ..Filter::default()
            };
            let mut figures = e.store().figures(&filter)?;
            figures.sort_by(|x, y| {
                x.period
                    .cmp(&y.period)
                    .then(x.metric.cmp(&y.metric))
                    .then(x.doc.cmp(&y.doc))
            });
            let generation = cache.generation(e)?;
            let derived = cache.derived(generation, || e.reconcile())?;
            Ok(figures
                .into_iter()
                .map(|figure| FigureRow {
                    dispute: derived.dispute_of(&figure.doc, &figure.text),
                    figure,
                })
                .collect::<Vec<_>>())
        })
        .await?;
    to_json(&page.slice(rows)?)
}

pub async fn disputes(State(state): State<AppState>, Params(page): Params<Page>) -> JsonResult {
    let cache = state.cache();
    let derived = state
        .with_engine(move |e| {
            let generation = cache.generation(e)?;
            Ok(cache.derived(generation, || e.reconcile())?)
        })
        .await?;
    let rec = &derived.rec;
    to_json(&json!({
        "disputes": page.slice(rec.disputes.iter().collect())?,
        "contested": page.slice(rec.contested.iter().collect())?,
        "corroboration": page.slice(rec.corroboration.iter().collect())?,
    }))
}

#[derive(Deserialize)]
pub struct EventParams {
    actor: Option<String>,
    place: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

pub async fn events(
    State(state): State<AppState>,
    Params(p): Params<EventParams>,
    Params(page): Params<Page>,
) -> JsonResult {
    let events = state
        .with_engine(move |e| {
            let filter = Filter {
                entity: resolve_or_literal(e, opt(&p.actor))?,
                place: resolve_or_literal(e, opt(&p.place))?,
                from: opt(&p.from).map(str::to_string),
                to: opt(&p.to).map(str::to_string),
                ..Filter::default()
            };
            let mut events = e.store().events(&filter)?;
            events.sort_by(|x, y| x.date.cmp(&y.date).then(x.doc.cmp(&y.doc)));
            let places: HashMap<String, dossier_model::Entity> = e
                .store()
                .entities()?
                .into_iter()
                .map(|ent| (ent.id.clone(), ent))
                .collect();
            let ent = |id: &Option<String>| id.as_ref().and_then(|i| places.get(i));
            let name = |id: &Option<String>| ent(id).map(|x| x.canonical.clone());
            Ok(events
                .into_iter()
                .map(|event| EventRow {
                    perpetrator_name: name(&event.perpetrator),
                    target_name: name(&event.target),
                    place_name: name(&event.place),
                    place_lat: ent(&event.place).and_then(|x| x.lat),
                    place_lon: ent(&event.place).and_then(|x| x.lon),
                    event,
                })
                .collect::<Vec<_>>())
        })
        .await?;
    to_json(&page.slice(events)?)
}

/// An event with the names of the entities it refers to (null for literals).
#[derive(Serialize)]
struct EventRow {
    #[serde(flatten)]
    event: dossier_model::Event,
    perpetrator_name: Option<String>,
    target_name: Option<String>,
    place_name: Option<String>,
    /// The place's coordinates from the registry, for maps.
    place_lat: Option<f64>,
    place_lon: Option<f64>,
}

#[derive(Serialize)]
struct Node {
    id: String,
    name: String,
    #[serde(rename = "type")]
    entity_type: Option<EntityType>,
    lat: Option<f64>,
    lon: Option<f64>,
}

#[derive(Serialize)]
struct Edge {
    source: String,
    #[serde(rename = "type")]
    relation_type: RelationType,
    target: String,
    stance: Stance,
    /// Statements of this edge.
    count: usize,
    /// Distinct documents stating it.
    docs: usize,
}

/// Filters of the graph: relation type and stance, and a date range compared with each
/// statement's document date (relations carry no date of their own).
#[derive(Deserialize)]
pub struct GraphParams {
    #[serde(rename = "type")]
    relation_type: Option<String>,
    stance: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

pub async fn graph(State(state): State<AppState>, Params(p): Params<GraphParams>) -> JsonResult {
    let rtype: Option<RelationType> = vocab(&p.relation_type)?;
    let stance: Option<Stance> = vocab(&p.stance)?;
    let filter = Filter {
        from: opt(&p.from).map(str::to_string),
        to: opt(&p.to).map(str::to_string),
        ..Filter::default()
    };
    state
        .with_engine(move |e| {
            let mut edges: BTreeMap<(String, RelationType, String, Stance), BTreeSet<String>> =
                BTreeMap::new();
            let mut counts: HashMap<(String, RelationType, String, Stance), usize> = HashMap::new();
            let wanted = e
                .store()
                .relations(&filter)?
                .into_iter()
                .filter(|r| rtype.is_none_or(|t| r.relation_type == t))
                .filter(|r| stance.is_none_or(|s| r.stance == s));
            for r in wanted {
                let key = (r.source, r.relation_type, r.target, r.stance);
                *counts.entry(key.clone()).or_default() += 1;
                edges.entry(key).or_default().insert(r.doc);
            }
            let ids: BTreeSet<&String> = edges.keys().flat_map(|k| [&k.0, &k.2]).collect();
            let mut nodes = Vec::new();
            for id in ids {
                let ent = e.store().entity(id)?;
                nodes.push(Node {
                    id: id.clone(),
                    name: ent
                        .as_ref()
                        .map_or_else(|| id.clone(), |x| x.canonical.clone()),
                    entity_type: ent.as_ref().map(|x| x.entity_type),
                    lat: ent.as_ref().and_then(|x| x.lat),
                    lon: ent.as_ref().and_then(|x| x.lon),
                });
            }
            let edges: Vec<Edge> = edges
                .into_iter()
                .map(|(key, docs)| Edge {
                    count: counts.get(&key).copied().unwrap_or(0),
                    docs: docs.len(),
                    source: key.0,
                    relation_type: key.1,
                    target: key.2,
                    stance: key.3,
                })
                .collect();
            to_json(&json!({ "nodes": nodes, "edges": edges }))
        })
        .await
}

pub async fn documents(State(state): State<AppState>, Params(page): Params<Page>) -> JsonResult {
    let docs = state.with_reader(|store| Ok(store.documents()?)).await?;
    to_json(&page.slice(docs)?)
}

pub async fn document(State(state): State<AppState>, Segment(id): Segment) -> JsonResult {
    state
        .with_engine(move |e| {
            let store = e.store();
            let doc = store
                .document(&id)?
                .ok_or_else(|| ApiError::not_found(format!("no document `{id}`")))?;
            let by_doc = Filter {
                doc: Some(doc.doc.clone()),
                ..Filter::default()
            };
            let mentions = store.mentions(&by_doc)?;
            let figures = store.figures(&by_doc)?;
            let relations = store.relations(&by_doc)?;
            let events = store.events(&by_doc)?;
            // Names of every entity the annotations refer to, for labels in the viewer.
            let all = names(e)?;
            let mut referenced: BTreeMap<&str, &str> = BTreeMap::new();
            let ids = mentions
                .iter()
                .map(|m| m.entity.as_str())
                .chain(
                    relations
                        .iter()
                        .flat_map(|r| [r.source.as_str(), r.target.as_str()]),
                )
                .chain(figures.iter().filter_map(|f| f.subject.as_deref()))
                .chain(
                    events
                        .iter()
                        .flat_map(|ev| [&ev.perpetrator, &ev.target, &ev.place])
                        .filter_map(|x| x.as_deref()),
                );
            for id in ids {
                if let Some(name) = all.get(id) {
                    referenced.insert(id, name);
                }
            }
            to_json(&json!({
                "document": doc,
                "mentions": mentions,
                "figures": figures,
                "relations": relations,
                "events": events,
                "entities": referenced,
            }))
        })
        .await
}
