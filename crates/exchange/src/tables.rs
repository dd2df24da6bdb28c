//! CSV tables: events with ACLED's columns, and figures.

use crate::lookup::{text_number, Lookup};
use crate::{Crosswalk, Dataset};
use dossier_model::{Bound, DatePrecision, Event, Figure, Metric};
use std::io::{self, Write};

/// The events table's header, in ACLED's names and order.
pub const EVENT_COLUMNS: [&str; 16] = [
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities_low",
    "fatalities_high",
    "source",
    "notes",
];

/// The figures table's header.
pub const FIGURE_COLUMNS: [&str; 12] = [
    "doc",
    "value",
    "value_max",
    "bound",
    "unit",
    "metric",
    "subject",
    "period",
    "place",
    "source",
    "hedged",
    "text",
];

pub(crate) fn write_events(ds: &Dataset, cw: &Crosswalk, out: &mut dyn Write) -> io::Result<()> {
    let look = Lookup::new(ds);
    let mut w = csv::Writer::from_writer(out);
    w.write_record(EVENT_COLUMNS)?;
    let mut events: Vec<&Event> = ds.events.iter().collect();
    // Chronological, undated events last.
    events.sort_by(|a, b| {
        let key = |e: &'_ Event| {
            (
                e.date.is_none(),
                e.date.clone(),
                e.doc.clone(),
                e.start,
                e.end,
                e.event_type,
            )
        };
        key(a).cmp(&key(b))
    });
    for e in events {
        w.write_record(event_row(e, ds, &look, cw))?;
    }
    w.flush()?;
    Ok(())
}

fn event_row(e: &Event, ds: &Dataset, look: &Lookup, cw: &Crosswalk) -> Vec<String> {
    let acled = cw.acled(e.event_type);
    // ACLED codes precision 1 = day, 2 = month, 3 = year; an undated event has none.
    let (date, precision) = match (&e.date, e.date_precision) {
        (Some(d), DatePrecision::Day) => (d.clone(), "1"),
        (Some(d), DatePrecision::Month) => (d.clone(), "2"),
        (Some(d), DatePrecision::Year) => (d.clone(), "3"),
        (Some(d), DatePrecision::Unknown) => (d.clone(), ""),
        (None, _) => (String::new(), ""),
    };
    let place = e.place.as_deref();
    let (mut admin1, mut admin2, mut geo_precision) = (String::new(), String::new(), String::new());
    if let Some(id) = place {
        let chain = look.place_chain(id);
        if let Some(first) = chain.first() {
            geo_precision = cw
                .entity(first.entity_type)
                .geo_precision
                .map(|p| p.to_string())
                .unwrap_or_default();
        }
        for p in &chain {
            match cw.entity(p.entity_type).admin_level {
                Some(1) if admin1.is_empty() => admin1 = p.canonical.clone(),
                Some(2) if admin2.is_empty() => admin2 = p.canonical.clone(),
                _ => {}
            }
        }
    }
    let (lat, lon) = place
        .and_then(|p| look.coordinates(p))
        .map_or((String::new(), String::new()), |(la, lo)| {
            (text_number(la), text_number(lo))
        });
    let (low, high) = fatalities(e, ds);
    vec![
        date,
        precision.into(),
        acled.event_type,
        acled.sub_event_type,
        look.opt_name(e.perpetrator.as_deref()).into(),
        look.opt_name(e.target.as_deref()).into(),
        admin1,
        admin2,
        look.opt_name(place).into(),
        lat,
        lon,
        geo_precision,
        low,
        high,
        source(&e.doc, look),
        e.text.clone(),
    ]
}

/// Low and high fatality estimates. A fatalities figure quoted inside the event's
/// span knows the hedging ("at least 6", "6 to 9") that the event's bare count lost.
fn fatalities(e: &Event, ds: &Dataset) -> (String, String) {
    let figure = ds.figures.iter().find(|f| {
        f.doc == e.doc
            && f.metric == Metric::Fatalities
            && e.start <= f.start
            && f.end <= e.end
            && e.killed.is_none_or(|k| k == f.value)
    });
    let num = |v: Option<f64>| v.map(text_number).unwrap_or_default();
    match figure {
        Some(f) => match f.bound {
            Bound::Exact | Bound::Approx => (num(Some(f.value)), num(Some(f.value))),
            Bound::AtLeast => (num(Some(f.value)), String::new()),
            Bound::AtMost => (String::new(), num(Some(f.value))),
            Bound::Range => (num(Some(f.value)), num(f.value_max.or(Some(f.value)))),
        },
        None => (num(e.killed), num(e.killed)),
    }
}

/// "Publisher; Title; doc-id" — whatever of those the document has.
fn source(doc: &str, look: &Lookup) -> String {
    let Some(d) = look.document(doc) else {
        return doc.to_string();
    };
    [d.publisher.as_deref(), d.title.as_deref(), Some(doc)]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

pub(crate) fn write_figures(ds: &Dataset, out: &mut dyn Write) -> io::Result<()> {
    let look = Lookup::new(ds);
    let mut w = csv::Writer::from_writer(out);
    w.write_record(FIGURE_COLUMNS)?;
    let mut figures: Vec<&Figure> = ds.figures.iter().collect();
    figures.sort_by(|a, b| {
        (&a.doc, a.start, a.end, a.metric).cmp(&(&b.doc, b.start, b.end, b.metric))
    });
    for f in figures {
        w.write_record([
            f.doc.clone(),
            text_number(f.value),
            f.value_max.map(text_number).unwrap_or_default(),
            f.bound.as_str().into(),
            f.unit.clone(),
            f.metric.as_str().into(),
            look.opt_name(f.subject.as_deref()).into(),
            f.period.clone().unwrap_or_default(),
            look.opt_name(f.place.as_deref()).into(),
            look.opt_name(f.source.as_deref()).into(),
            f.hedged.to_string(),
            f.text.clone(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    fn events_csv(ds: &Dataset) -> Vec<csv::StringRecord> {
        let mut out = Vec::new();
        write_events(ds, &Crosswalk::default(), &mut out).unwrap();
        let mut r = csv::Reader::from_reader(out.as_slice());
        assert_eq!(
            r.headers().unwrap(),
            &csv::StringRecord::from(EVENT_COLUMNS.to_vec())
        );
        r.records().map(Result::unwrap).collect()
    }

    fn col(row: &csv::StringRecord, name: &str) -> String {
        let i = EVENT_COLUMNS.iter().position(|c| *c == name).unwrap();
        row[i].to_string()
    }

    #[test]
    fn bombing_in_a_town_fills_admin_columns_from_the_parent_chain() {
        let owned = fixture::sample();
        let rows = events_csv(&owned.dataset());
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        assert_eq!(col(row, "event_date"), "2024-05-04");
        assert_eq!(col(row, "time_precision"), "1");
        assert_eq!(col(row, "event_type"), "Explosions/Remote violence");
        assert_eq!(col(row, "sub_event_type"), "Remote explosive/landmine/IED");
        assert_eq!(col(row, "actor1"), "Hill Front");
        assert_eq!(col(row, "actor2"), "a checkpoint");
        assert_eq!(col(row, "admin1"), "Khyber Pakhtunkhwa");
        assert_eq!(col(row, "admin2"), "Peshawar District");
        assert_eq!(col(row, "location"), "Warsak");
        assert_eq!(col(row, "latitude"), "34.16");
        assert_eq!(col(row, "geo_precision"), "1");
        assert_eq!(
            col(row, "source"),
            "Frontier Daily; Checkpoint bombed; a-report"
        );
        assert!(col(row, "notes").contains("killing at least 6"));
    }

    #[test]
    fn at_least_figure_inside_the_event_leaves_the_high_estimate_open() {
        let owned = fixture::sample();
        let row = &events_csv(&owned.dataset())[0];
        assert_eq!(col(row, "fatalities_low"), "6");
        assert_eq!(col(row, "fatalities_high"), "");
    }

    #[test]
    fn undated_event_at_an_unknown_place_still_gets_a_row() {
        let mut owned = fixture::sample();
        let e = &mut owned.events[0];
        e.date = None;
        e.date_precision = DatePrecision::Unknown;
        e.place = Some("a village near the border".into());
        e.killed = Some(2.0);
        owned.figures.clear();
        let row = &events_csv(&owned.dataset())[0];
        assert_eq!(col(row, "event_date"), "");
        assert_eq!(col(row, "time_precision"), "");
        assert_eq!(col(row, "location"), "a village near the border");
        assert_eq!(col(row, "admin1"), "");
        assert_eq!(col(row, "latitude"), "");
        assert_eq!(col(row, "fatalities_high"), "2");
    }

    #[test]
    fn parent_cycle_does_not_loop() {
        let mut owned = fixture::sample();
        owned.entities[3].parent = Some("warsak".into());
        assert_eq!(events_csv(&owned.dataset()).len(), 1);
    }

    #[test]
    fn figures_table_quotes_text_and_names_subjects() {
        let mut owned = fixture::sample();
        owned.figures[0].text = "killing \"at least\" 6, officials said\nlater".into();
        let mut out = Vec::new();
        write_figures(&owned.dataset(), &mut out).unwrap();
        let mut r = csv::Reader::from_reader(out.as_slice());
        assert_eq!(
            r.headers().unwrap(),
            &csv::StringRecord::from(FIGURE_COLUMNS.to_vec())
        );
        let rows: Vec<_> = r.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 1);
        assert_eq!(&rows[0][1], "6");
        assert_eq!(&rows[0][3], "at_least");
        assert_eq!(&rows[0][6], "Hill Front");
        assert_eq!(&rows[0][10], "false");
        assert_eq!(
            &rows[0][11],
            "killing \"at least\" 6, officials said\nlater"
        );
    }
}
