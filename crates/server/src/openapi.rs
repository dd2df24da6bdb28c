//! The OpenAPI 3.1 description of the API, written by hand: a dozen routes do not pay
//! for a code generator. A test checks every routed path is described.

use axum::Json;
use serde_json::{json, Value};

fn param(name: &str, description: &str) -> Value {
    json!({ "name": name, "in": "query", "required": false,
            "description": description, "schema": { "type": "string" } })
}

fn path_param(name: &str, description: &str) -> Value {
    json!({ "name": name, "in": "path", "required": true,
            "description": description, "schema": { "type": "string" } })
}

fn page() -> [Value; 2] {
    [
        json!({ "name": "limit", "in": "query", "required": false,
                "description": "page size (default 50, at most 500)",
                "schema": { "type": "integer", "minimum": 0, "maximum": 500 } }),
        json!({ "name": "offset", "in": "query", "required": false,
                "description": "items to skip",
                "schema": { "type": "integer", "minimum": 0 } }),
    ]
}

fn list_params(extra: &[Value]) -> Vec<Value> {
    extra.iter().cloned().chain(page()).collect()
}

fn ok(description: &str, schema: Value) -> Value {
    json!({
        "200": { "description": description,
                 "content": { "application/json": { "schema": schema } } },
        "400": { "$ref": "#/components/responses/Error" }
    })
}

fn list_of(item: &str) -> Value {
    json!({ "$ref": "#/components/schemas/List",
            "description": format!("a page of {item}") })
}

fn write_responses(ok_status: &str, description: &str) -> Value {
    json!({
        ok_status: { "description": description,
                     "content": { "application/json": { "schema": { "type": "object" } } } },
        "400": { "$ref": "#/components/responses/Error" },
        "401": { "$ref": "#/components/responses/Error" },
        "403": { "$ref": "#/components/responses/Error" },
        "404": { "$ref": "#/components/responses/Error" }
    })
}

/// The whole document.
pub fn spec() -> Value {
    let obj = json!({ "type": "object" });
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Dossier API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Source-grounded actors, relations, figures, events and disputes \
                extracted from articles. Every annotation has byte offsets (start, end) into \
                its document's clean text. Errors are {\"error\": \"...\"}."
        },
        "paths": {
            "/api/search": { "get": {
                "summary": "Full-text search with snippets (matches wrapped in «…»)",
                "parameters": list_params(&[
                    param("q", "words to find (required)"),
                    param("raw", "1 to read q as FTS5 syntax: \"phrase\", OR, NOT, prefix*, NEAR"),
                    param("publisher", "only this publisher"),
                    param("from", "published on or after (YYYY, YYYY-MM, YYYY-MM-DD)"),
                    param("to", "published on or before"),
                ]),
                "responses": ok("search hits, best first (total is null)", list_of("search hits"))
            }},
            "/api/stats": { "get": {
                "summary": "Row counts of the store",
                "responses": ok("counts", obj.clone())
            }},
            "/api/entities": { "get": {
                "summary": "Actors and places with mention counts, most mentioned first",
                "parameters": list_params(&[
                    param("type", "entity type, e.g. armed_group, person, province"),
                    param("q", "substring of the name, an alias or the id"),
                ]),
                "responses": ok("entities", list_of("entities"))
            }},
            "/api/entities/{id}": { "get": {
                "summary": "The dossier of an entity; any alias or spelling works as id",
                "parameters": [path_param("id", "id, name or alias")],
                "responses": {
                    "200": { "description": "the dossier, with figure_disputes (one per figure) \
                        and contested relations; with the header x-dossier-stale: 1 it is the \
                        last rendering (at most 30 s old) while the store changed under an \
                        ingest and the new one is built",
                        "content": { "application/json": { "schema": obj.clone() } } },
                    "404": { "$ref": "#/components/responses/Error" }
                }
            }},
            "/api/entities/{id}/promote": { "post": {
                "summary": "Mark a discovered entity as curated (needs the token)",
                "security": [{ "bearer": [] }],
                "parameters": [path_param("id", "id, name or alias")],
                "responses": write_responses("200", "the promoted entity")
            }},
            "/api/relations": { "get": {
                "summary": "Relations with their stance and attribution",
                "parameters": list_params(&[
                    param("entity", "source or target (any alias)"),
                    param("type", "relation type, e.g. supports, shelters, allied_with"),
                    param("stance", "asserted, denied, alleged, reported, speculative"),
                ]),
                "responses": ok("relations", list_of("relations"))
            }},
            "/api/figures": { "get": {
                "summary": "Figures with source, hedging and dispute classification",
                "parameters": list_params(&[
                    param("subject", "whose figures (any alias)"),
                    param("metric", "attacks, fatalities, fighters, money, …"),
                    param("period", "YYYY or YYYY-MM"),
                ]),
                "responses": ok("figures", list_of("figures"))
            }},
            "/api/disputes": { "get": {
                "summary": "Figures that disagree across sources, contested relations, corroboration",
                "parameters": page(),
                "responses": ok("three pages: disputes, contested, corroboration", obj.clone())
            }},
            "/api/events": { "get": {
                "summary": "The events timeline",
                "parameters": list_params(&[
                    param("actor", "perpetrator or target (any alias)"),
                    param("place", "place (any alias)"),
                    param("from", "on or after (YYYY, YYYY-MM, YYYY-MM-DD)"),
                    param("to", "on or before"),
                ]),
                "responses": ok("events, oldest first", list_of("events"))
            }},
            "/api/graph": { "get": {
                "summary": "The actor network: nodes and edges aggregated by (source, type, target, stance)",
                "parameters": [
                    param("type", "relation type (leads, member_of, shelters, …)"),
                    param("stance", "asserted, denied, alleged, reported, speculative"),
                    param("from", "statements in documents dated on or after (YYYY, YYYY-MM, YYYY-MM-DD)"),
                    param("to", "statements in documents dated on or before"),
                ],
                "responses": ok("nodes and edges with statement and document counts", obj.clone())
            }},
            "/api/documents": {
                "get": {
                    "summary": "Documents, metadata only, in ingest order",
                    "parameters": page(),
                    "responses": ok("documents", list_of("documents"))
                },
                "post": {
                    "summary": "Upload one file (the body is its bytes); needs the token",
                    "security": [{ "bearer": [] }],
                    "parameters": [
                        param("name", "file name; the extension gives the format (.txt .md .html .pdf .jsonl)"),
                        param("published", "publication date that wins over what is found"),
                        param("publisher", "publisher that wins over what is found"),
                    ],
                    "requestBody": { "required": true, "content": {
                        "application/octet-stream": { "schema": { "type": "string", "contentMediaType": "application/octet-stream" } } } },
                    "responses": {
                        "201": { "description": "stored: the ingest report",
                                 "content": { "application/json": { "schema": obj.clone() } } },
                        "200": { "description": "nothing new (duplicates): the ingest report",
                                 "content": { "application/json": { "schema": obj.clone() } } },
                        "400": { "$ref": "#/components/responses/Error" },
                        "401": { "$ref": "#/components/responses/Error" },
                        "403": { "$ref": "#/components/responses/Error" },
                        "413": { "$ref": "#/components/responses/Error" }
                    }
                }
            },
            "/api/documents/{id}": { "get": {
                "summary": "A document's clean text with every annotation (mentions, figures, \
                    relations, events) and the names of the entities they refer to",
                "parameters": [path_param("id", "document id")],
                "responses": {
                    "200": { "description": "the document",
                             "content": { "application/json": { "schema": obj.clone() } } },
                    "404": { "$ref": "#/components/responses/Error" }
                }
            }},
            "/api/merge": { "post": {
                "summary": "Merge entity absorb into keep (reversible); needs the token",
                "security": [{ "bearer": [] }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": {
                    "type": "object", "required": ["keep", "absorb"],
                    "properties": { "keep": { "type": "string" }, "absorb": { "type": "string" } } } } } },
                "responses": write_responses("201", "the merge id")
            }},
            "/api/merge/{id}/undo": { "post": {
                "summary": "Undo a merge; needs the token",
                "security": [{ "bearer": [] }],
                "parameters": [path_param("id", "merge id")],
                "responses": write_responses("200", "the undone merge id")
            }},
            "/openapi.json": { "get": {
                "summary": "This document",
                "responses": { "200": { "description": "OpenAPI 3.1",
                    "content": { "application/json": { "schema": obj.clone() } } } }
            }}
        },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Error": { "type": "object", "required": ["error"],
                           "properties": { "error": { "type": "string" } } },
                "List": { "type": "object", "required": ["items", "limit", "offset"],
                          "properties": {
                              "items": { "type": "array", "items": obj },
                              "total": { "type": ["integer", "null"] },
                              "limit": { "type": "integer" },
                              "offset": { "type": "integer" } } }
            },
            "responses": {
                "Error": { "description": "an error with advice",
                           "content": { "application/json": {
                               "schema": { "$ref": "#/components/schemas/Error" } } } }
            }
        }
    })
}

pub async fn document() -> Json<Value> {
    Json(spec())
}
