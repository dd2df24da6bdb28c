//! The actor network: actors and related places as nodes, relations aggregated into
//! edges per (source, type, target, stance), written as GraphML or GEXF by hand.

use crate::lookup::{coordinates, text_number, Lookup};
use crate::Dataset;
use dossier_model::{RelationType, Stance};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

/// A node: a known entity, or a literal name a relation points at.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphNode {
    /// The entity id, or `literal:<name>` for names not in the registry.
    pub id: String,
    pub label: String,
    /// Entity type, or `unresolved` for literals.
    pub node_type: String,
    pub aliases: Vec<String>,
    pub country: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub mentions: usize,
}

/// Relations with the same ends, type and stance, merged across documents.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphEdge {
    pub id: String,
    pub source: String,
    pub target: String,
    pub relation_type: RelationType,
    pub stance: Stance,
    /// Distinct documents stating it, sorted.
    pub docs: Vec<String>,
}

impl GraphEdge {
    pub fn source_count(&self) -> usize {
        self.docs.len()
    }

    /// Placeholder until claims are scored: each independent document halves the doubt.
    pub fn confidence(&self) -> f64 {
        1.0 - 0.5f64.powi(i32::try_from(self.docs.len()).unwrap_or(i32::MAX))
    }
}

/// The network, nodes sorted by id and edges by (source, type, target, stance).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Graph {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
}

const LITERAL: &str = "literal:";

impl Graph {
    /// Every actor entity, plus places and literal names that relations point at.
    pub fn build(ds: &Dataset) -> Graph {
        let look = Lookup::new(ds);
        let mut grouped: BTreeMap<(String, RelationType, String, Stance), BTreeSet<String>> =
            BTreeMap::new();
        for r in ds.relations {
            let key = (
                node_id(&look, &r.source),
                r.relation_type,
                node_id(&look, &r.target),
                r.stance,
            );
            grouped.entry(key).or_default().insert(r.doc.clone());
        }
        let mut nodes: BTreeMap<String, GraphNode> = BTreeMap::new();
        for e in ds.entities.iter().filter(|e| e.entity_type.is_actor()) {
            nodes
                .entry(e.id.clone())
                .or_insert_with(|| entity_node(&look, &e.id));
        }
        for (source, _, target, _) in grouped.keys() {
            for id in [source, target] {
                nodes
                    .entry(id.clone())
                    .or_insert_with(|| entity_node(&look, id));
            }
        }
        let edges = grouped
            .into_iter()
            .enumerate()
            .map(
                |(i, ((source, relation_type, target, stance), docs))| GraphEdge {
                    id: format!("e{i}"),
                    source,
                    target,
                    relation_type,
                    stance,
                    docs: docs.into_iter().collect(),
                },
            )
            .collect();
        Graph {
            nodes: nodes.into_values().collect(),
            edges,
        }
    }

    pub fn write_graphml(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            out,
            r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
        )?;
        for (id, domain, name, ty) in GRAPHML_KEYS {
            writeln!(
                out,
                r#"  <key id="{id}" for="{domain}" attr.name="{name}" attr.type="{ty}"/>"#
            )?;
        }
        writeln!(out, r#"  <graph id="dossier" edgedefault="directed">"#)?;
        for n in &self.nodes {
            writeln!(out, r#"    <node id="{}">"#, xml(&n.id))?;
            data(out, "label", &n.label)?;
            data(out, "type", &n.node_type)?;
            data(out, "aliases", &n.aliases.join("|"))?;
            data(out, "country", &n.country)?;
            if let (Some(lat), Some(lon)) = (n.lat, n.lon) {
                data(out, "lat", &text_number(lat))?;
                data(out, "lon", &text_number(lon))?;
            }
            data(out, "mentions", &n.mentions.to_string())?;
            writeln!(out, "    </node>")?;
        }
        for e in &self.edges {
            writeln!(
                out,
                r#"    <edge id="{}" source="{}" target="{}">"#,
                e.id,
                xml(&e.source),
                xml(&e.target)
            )?;
            data(out, "edge_type", e.relation_type.as_str())?;
            data(out, "stance", e.stance.as_str())?;
            data(out, "source_count", &e.source_count().to_string())?;
            data(out, "docs", &e.docs.join("|"))?;
            data(out, "confidence", &format!("{:.4}", e.confidence()))?;
            data(out, "weight", &e.source_count().to_string())?;
            writeln!(out, "    </edge>")?;
        }
        writeln!(out, "  </graph>")?;
        writeln!(out, "</graphml>")
    }

    pub fn write_gexf(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        // 1.2draft rather than 1.3: networkx reads only the draft namespaces, Gephi reads all.
        writeln!(
            out,
            r#"<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">"#
        )?;
        writeln!(out, r#"  <meta><creator>Dossier</creator></meta>"#)?;
        writeln!(out, r#"  <graph mode="static" defaultedgetype="directed">"#)?;
        writeln!(out, r#"    <attributes class="node">"#)?;
        for (i, (name, ty)) in GEXF_NODE_ATTRS.iter().enumerate() {
            writeln!(
                out,
                r#"      <attribute id="{i}" title="{name}" type="{ty}"/>"#
            )?;
        }
        writeln!(out, "    </attributes>")?;
        writeln!(out, r#"    <attributes class="edge">"#)?;
        for (i, (name, ty)) in GEXF_EDGE_ATTRS.iter().enumerate() {
            writeln!(
                out,
                r#"      <attribute id="{i}" title="{name}" type="{ty}"/>"#
            )?;
        }
        writeln!(out, "    </attributes>")?;
        writeln!(out, "    <nodes>")?;
        for n in &self.nodes {
            writeln!(
                out,
                r#"      <node id="{}" label="{}">"#,
                xml(&n.id),
                xml(&n.label)
            )?;
            let mut values = vec![
                n.node_type.clone(),
                n.aliases.join("|"),
                n.country.clone(),
                n.mentions.to_string(),
            ];
            if let (Some(lat), Some(lon)) = (n.lat, n.lon) {
                values.extend([text_number(lat), text_number(lon)]);
            }
            attvalues(out, &values)?;
            writeln!(out, "      </node>")?;
        }
        writeln!(out, "    </nodes>")?;
        writeln!(out, "    <edges>")?;
        for e in &self.edges {
            writeln!(
                out,
                r#"      <edge id="{}" source="{}" target="{}" label="{}" weight="{}">"#,
                e.id,
                xml(&e.source),
                xml(&e.target),
                e.relation_type,
                e.source_count()
            )?;
            // Gephi owns an edge column called "type" (directed/undirected), hence "relation".
            let values = [
                e.relation_type.as_str().to_string(),
                e.stance.as_str().into(),
                e.source_count().to_string(),
                e.docs.join("|"),
                format!("{:.4}", e.confidence()),
            ];
            attvalues(out, &values)?;
            writeln!(out, "      </edge>")?;
        }
        writeln!(out, "    </edges>")?;
        writeln!(out, "  </graph>")?;
        writeln!(out, "</gexf>")
    }
}

/// (key id, domain, attribute name, type). Edge keys are prefixed because GraphML
/// key ids share one namespace; the attribute names are what readers show.
const GRAPHML_KEYS: [(&str, &str, &str, &str); 13] = [
    ("label", "node", "label", "string"),
    ("type", "node", "type", "string"),
    ("aliases", "node", "aliases", "string"),
    ("country", "node", "country", "string"),
    ("lat", "node", "lat", "double"),
    ("lon", "node", "lon", "double"),
    ("mentions", "node", "mentions", "int"),
    ("edge_type", "edge", "type", "string"),
    ("stance", "edge", "stance", "string"),
    ("source_count", "edge", "source_count", "int"),
    ("docs", "edge", "docs", "string"),
    ("confidence", "edge", "confidence", "double"),
    ("weight", "edge", "weight", "double"),
];

/// Node attributes in `attvalue` order; lat and lon last because they may be absent.
const GEXF_NODE_ATTRS: [(&str, &str); 6] = [
    ("type", "string"),
    ("aliases", "string"),
    ("country", "string"),
    ("mentions", "integer"),
    ("lat", "double"),
    ("lon", "double"),
];

const GEXF_EDGE_ATTRS: [(&str, &str); 5] = [
    ("relation", "string"),
    ("stance", "string"),
    ("source_count", "integer"),
    ("docs", "string"),
    ("confidence", "double"),
];

fn node_id(look: &Lookup, key: &str) -> String {
    if look.entity(key).is_some() {
        key.to_string()
    } else {
        format!("{LITERAL}{key}")
    }
}

fn entity_node(look: &Lookup, id: &str) -> GraphNode {
    match look.entity(id) {
        Some(e) => {
            let (lat, lon) = coordinates(e).map_or((None, None), |(la, lo)| (Some(la), Some(lo)));
            GraphNode {
                id: e.id.clone(),
                label: e.canonical.clone(),
                node_type: e.entity_type.as_str().into(),
                aliases: e.aliases.clone(),
                country: e.country.clone().unwrap_or_default(),
                lat,
                lon,
                mentions: look.mention_count(&e.id),
            }
        }
        None => GraphNode {
            id: id.to_string(),
            label: id.strip_prefix(LITERAL).unwrap_or(id).to_string(),
            node_type: "unresolved".into(),
            aliases: Vec::new(),
            country: String::new(),
            lat: None,
            lon: None,
            mentions: 0,
        },
    }
}

fn data(out: &mut dyn Write, key: &str, value: &str) -> io::Result<()> {
    writeln!(out, r#"      <data key="{key}">{}</data>"#, xml(value))
}

fn attvalues(out: &mut dyn Write, values: &[String]) -> io::Result<()> {
    writeln!(out, "        <attvalues>")?;
    for (i, v) in values.iter().enumerate() {
        writeln!(out, r#"          <attvalue for="{i}" value="{}"/>"#, xml(v))?;
    }
    writeln!(out, "        </attvalues>")
}

/// Escape for XML text and attribute values; characters XML 1.0 forbids
/// (most C0 controls, U+FFFE, U+FFFF) are dropped because no escape makes them legal.
pub(crate) fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Newlines and tabs inside attribute values would be normalized to spaces.
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    #[test]
    fn relations_aggregate_per_stance_and_count_distinct_documents() {
        let mut owned = fixture::sample();
        // The same claim twice in one document and once in another.
        let extra = fixture::relation(
            "b-analysis",
            "hill-front",
            RelationType::BasedIn,
            "warsak",
            Stance::Asserted,
        );
        owned.relations.push(extra.clone());
        owned.relations.push(extra);
        let g = Graph::build(&owned.dataset());
        let based: Vec<_> = g
            .edges
            .iter()
            .filter(|e| e.relation_type == RelationType::BasedIn)
            .collect();
        assert_eq!(based.len(), 2, "asserted and reported are separate edges");
        let asserted = based.iter().find(|e| e.stance == Stance::Asserted).unwrap();
        assert_eq!(asserted.docs, vec!["a-report", "b-analysis"]);
        assert_eq!(asserted.source_count(), 2);
        let finances = g
            .edges
            .iter()
            .filter(|e| e.relation_type == RelationType::Finances)
            .count();
        assert_eq!(finances, 2, "alleged and denied are separate edges");
    }

    #[test]
    fn places_join_only_when_a_relation_reaches_them() {
        let owned = fixture::sample();
        let g = Graph::build(&owned.dataset());
        let ids: Vec<_> = g.nodes.iter().map(|n| n.id.as_str()).collect();
        assert!(ids.contains(&"warsak"));
        assert!(!ids.contains(&"khyber-pakhtunkhwa"));
        assert!(ids.contains(&"river-council"));
        let literal = g
            .nodes
            .iter()
            .find(|n| n.node_type == "unresolved")
            .unwrap();
        assert_eq!(literal.label, "Unnamed \"militia\"");
    }

    #[test]
    fn confidence_grows_with_independent_documents() {
        let mut e = GraphEdge {
            id: "e0".into(),
            source: "a".into(),
            target: "b".into(),
            relation_type: RelationType::Supports,
            stance: Stance::Asserted,
            docs: vec!["d1".into()],
        };
        assert_eq!(e.confidence(), 0.5);
        e.docs.push("d2".into());
        assert_eq!(e.confidence(), 0.75);
    }

    #[test]
    fn xml_escaping_covers_markup_quotes_and_forbidden_controls() {
        assert_eq!(
            xml("a<b & \"c\" 'd'>"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;"
        );
        assert_eq!(xml("bell\u{7}\nline"), "bell&#10;line");
    }

    #[test]
    fn graphml_and_gexf_are_deterministic_and_escaped() {
        let owned = fixture::sample();
        let mut shuffled = fixture::sample();
        shuffled.relations.reverse();
        shuffled.entities.reverse();
        for write in [Graph::write_graphml, Graph::write_gexf] {
            let mut a = Vec::new();
            let mut b = Vec::new();
            write(&Graph::build(&owned.dataset()), &mut a).unwrap();
            write(&Graph::build(&shuffled.dataset()), &mut b).unwrap();
            assert_eq!(a, b);
            let text = String::from_utf8(a).unwrap();
            assert!(text.contains("Jabha-e-Koh &amp; Co"));
            assert!(text.contains("Unnamed &quot;militia&quot;"));
        }
    }
}
