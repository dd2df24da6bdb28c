//! Terminal rendering of query results: plain text, one record per line, spans quoted.

use dossier_engine::ActorDossier;
use dossier_model::{Dispute, Entity, Event, Figure};
use dossier_reconcile::Contested;
use dossier_store::SearchHit;
use std::fmt::Write;

fn or_dash(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("-")
}

fn quote(s: &str, max: usize) -> String {
    let s = s.replace('\n', " ");
    if s.chars().count() <= max {
        return s;
    }
    let cut: String = s.chars().take(max.saturating_sub(1)).collect();
    format!("{cut}…")
}

pub fn value(f: &Figure) -> String {
    let n = |v: f64| {
        if v.fract() == 0.0 && v.abs() < 1e15 {
            format!("{}", v as i64)
        } else {
            format!("{v}")
        }
    };
    let base = match f.value_max {
        Some(max) => format!("{}–{}", n(f.value), n(max)),
        None => n(f.value),
    };
    let bound = match f.bound.as_str() {
        "at_least" => "≥ ",
        "at_most" => "≤ ",
        "approx" => "~",
        _ => "",
    };
    format!("{bound}{base}")
}

pub fn dossier(d: &ActorDossier) -> String {
    let e = &d.entity;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} [{}] id={}{}",
        e.canonical,
        e.entity_type,
        e.id,
        if e.discovered { " (discovered)" } else { "" }
    );
    if let Some(role) = &e.role {
        let _ = writeln!(out, "  role: {role}");
    }
    if let Some(c) = &e.country {
        let _ = writeln!(out, "  country: {c}");
    }
    if let Some(p) = &e.parent {
        let _ = writeln!(out, "  part of: {p}");
    }
    let _ = writeln!(
        out,
        "  seen: {} … {} in {} documents",
        or_dash(&d.first_seen),
        or_dash(&d.last_seen),
        d.documents.len()
    );
    let _ = writeln!(out, "\nAliases");
    for a in &d.aliases {
        let learned = a
            .learned_in
            .as_ref()
            .map(|doc| format!(" (learned in {doc})"))
            .unwrap_or_default();
        let _ = writeln!(out, "  {:<40} {:>4} mentions{learned}", a.alias, a.mentions);
    }
    for (title, people) in [
        ("Leaders", &d.leaders),
        ("Factions and members", &d.members),
    ] {
        if people.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title}");
        for p in people {
            let role = p
                .role
                .as_ref()
                .map(|r| format!(", {r}"))
                .unwrap_or_default();
            let _ = writeln!(out, "  {}{role} ({})", p.name, p.from);
        }
    }
    let _ = writeln!(out, "\nRelations");
    let mut last_type = "";
    for r in &d.relations {
        if r.relation_type != last_type {
            let _ = writeln!(out, "  {}:", r.relation_type);
            last_type = &r.relation_type;
        }
        let arrow = if r.direction == "out" { "→" } else { "←" };
        let by = r
            .attributed_to
            .as_ref()
            .map(|a| format!(" per {a}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "    {arrow} {} [{}{by}] {}: “{}”",
            r.other_name,
            r.stance,
            r.doc,
            quote(&r.text, 90)
        );
    }
    let _ = writeln!(out, "\nFigures");
    out.push_str(&figure_table(&d.figures, &|_| None));
    let _ = writeln!(out, "\nEvents");
    out.push_str(&events(&d.events));
    let _ = writeln!(out, "\nDocuments");
    for (doc, title, published, n) in &d.documents {
        let _ = writeln!(
            out,
            "  {:<10} {:<28} {:>3} mentions  {}",
            or_dash(published),
            doc,
            n,
            quote(title.as_deref().unwrap_or(""), 60)
        );
    }
    out
}

pub fn events(evs: &[Event]) -> String {
    let mut out = String::new();
    for e in evs {
        let casualties = match (e.killed, e.injured) {
            (None, None) => String::new(),
            (k, i) => format!(
                " killed={} injured={}",
                k.map_or("-".into(), |v| v.to_string()),
                i.map_or("-".into(), |v| v.to_string())
            ),
        };
        let _ = writeln!(
            out,
            "  {:<10} {:<16} place={} by={}{casualties} {}: “{}”",
            or_dash(&e.date),
            e.event_type.as_str(),
            or_dash(&e.place),
            or_dash(&e.perpetrator),
            e.doc,
            quote(&e.text, 80)
        );
    }
    if evs.is_empty() {
        out.push_str("  (none)\n");
    }
    out
}

pub fn search(hits: &[SearchHit]) -> String {
    let mut out = String::new();
    for h in hits {
        let _ = writeln!(
            out,
            "{}  {}  {}",
            h.doc,
            or_dash(&h.published),
            h.title.as_deref().unwrap_or("")
        );
        let _ = writeln!(out, "    {}", h.snippet.replace('\n', " "));
    }
    if hits.is_empty() {
        out.push_str("no matches\n");
    }
    out
}

/// A TOML `[[actor]]` entry an analyst can append to data/actors.toml.
pub fn registry_entry(e: &Entity) -> String {
    let list = |v: &[String]| {
        v.iter()
            .map(|a| format!("{a:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = String::from("[[actor]]\n");
    let _ = writeln!(out, "id = {:?}", e.id);
    let _ = writeln!(out, "canonical = {:?}", e.canonical);
    let _ = writeln!(out, "type = {:?}", e.entity_type.as_str());
    if let Some(c) = &e.country {
        let _ = writeln!(out, "country = {c:?}");
    }
    if let Some(r) = &e.role {
        let _ = writeln!(out, "role = {r:?}");
    }
    let _ = writeln!(out, "aliases = [{}]", list(&e.aliases));
    out
}

/// Figures grouped by period, with value, bound, source, origin document and the
/// dispute flag.
pub fn figure_table(figs: &[Figure], disputed: &dyn Fn(&Figure) -> Option<String>) -> String {
    let mut out = String::new();
    let mut period: Option<&Option<String>> = None;
    for f in figs {
        if period != Some(&f.period) {
            let _ = writeln!(out, "{}", f.period.as_deref().unwrap_or("(no period)"));
            period = Some(&f.period);
        }
        let flag = disputed(f)
            .map(|c| format!(" [DISPUTED: {c}]"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {:<14} {:>14} {:<8} subject={} source={}{} {}{flag}: “{}”",
            f.metric.as_str(),
            value(f),
            f.unit,
            or_dash(&f.subject),
            or_dash(&f.source),
            if f.hedged { " (hedged)" } else { "" },
            f.doc,
            quote(&f.text, 70)
        );
    }
    if figs.is_empty() {
        out.push_str("(no figures)\n");
    }
    out
}

/// Figures shown per dispute, and statements per side of a contested relation, in the
/// text view: on a large store a busy topic has hundreds (`--json` lists them all).
const SHOWN_PER_DISPUTE: usize = 12;

pub fn disputes(disputes: &[Dispute], contested: &[Contested]) -> String {
    let mut out = String::new();
    for d in disputes {
        let _ = writeln!(out, "{} [{}]", d.topic, d.classification);
        for f in d.figures.iter().take(SHOWN_PER_DISPUTE) {
            let v = match f.value_max {
                Some(m) => format!("{}–{}", f.value, m),
                None => format!("{}", f.value),
            };
            let _ = writeln!(
                out,
                "  {:>14} ({}) source={} {}: “{}”",
                v,
                f.bound.as_str(),
                or_dash(&f.source),
                f.doc,
                quote(&f.text, 70)
            );
        }
        more(&mut out, d.figures.len(), "figures");
        let _ = writeln!(out, "  why: {}\n", d.explanation);
    }
    for c in contested {
        let _ = writeln!(
            out,
            "{} [contested: {} asserting, {} denying]",
            c.topic, c.asserted_origins, c.denied_origins
        );
        for (label, side) in [("asserted", &c.asserted), ("denied", &c.denied)] {
            for r in side.iter().take(SHOWN_PER_DISPUTE) {
                let _ = writeln!(
                    out,
                    "  {label:<8} by {} in {}: “{}”",
                    r.attributed_to.as_deref().unwrap_or("author"),
                    r.doc,
                    quote(&r.text, 70)
                );
            }
            more(&mut out, side.len(), label);
        }
        let _ = writeln!(out, "  why: {}\n", c.explanation);
    }
    if disputes.is_empty() && contested.is_empty() {
        out.push_str("no disputes\n");
    }
    out
}

/// The line saying how many of `total` the text view left out, if any.
fn more(out: &mut String, total: usize, what: &str) {
    if total > SHOWN_PER_DISPUTE {
        let _ = writeln!(
            out,
            "  … {} more {what} (--json lists them all)",
            total - SHOWN_PER_DISPUTE
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossier_model::{Bound, DisputedFigure, Metric};

    #[test]
    fn a_large_dispute_shows_a_few_figures_and_counts_the_rest() {
        let d = Dispute {
            topic: "attacks by ttp in 2024".into(),
            metric: Metric::Attacks,
            subject: Some("ttp".into()),
            period: Some("2024".into()),
            figures: (0..30)
                .map(|i| DisputedFigure {
                    doc: format!("d{i}"),
                    value: f64::from(100 + i),
                    value_max: None,
                    bound: Bound::Exact,
                    source: None,
                    text: format!("{} attacks", 100 + i),
                })
                .collect(),
            classification: "conflict".into(),
            explanation: "cannot both be right".into(),
        };
        let out = disputes(std::slice::from_ref(&d), &[]);
        assert_eq!(out.matches(" attacks”").count(), SHOWN_PER_DISPUTE, "{out}");
        assert!(out.contains("… 18 more figures"), "{out}");
        let small = Dispute {
            figures: d.figures[..2].to_vec(),
            ..d
        };
        assert!(!disputes(&[small], &[]).contains("more figures"));
    }
}
