//! GeoJSON (RFC 7946): events at their place's coordinates, and the places themselves.
//! Anything without valid coordinates is left off rather than placed at (0, 0).

use crate::lookup::{coordinates, json_number, Lookup};
use crate::Dataset;
use serde_json::{json, Value};
use std::io::{self, Write};

pub(crate) fn write(ds: &Dataset, out: &mut dyn Write) -> io::Result<()> {
    let look = Lookup::new(ds);
    let mut features = Vec::new();
    let mut events: Vec<_> = ds.events.iter().collect();
    events.sort_by(|a, b| {
        (&a.doc, a.start, a.end, a.event_type).cmp(&(&b.doc, b.start, b.end, b.event_type))
    });
    for e in events {
        let Some((lat, lon)) = e.place.as_deref().and_then(|p| look.coordinates(p)) else {
            continue;
        };
        let number = |v: Option<f64>| v.map_or(Value::Null, json_number);
        features.push(json!({
            "type": "Feature",
            "id": format!("event:{}:{}-{}", e.doc, e.start, e.end),
            "geometry": point(lat, lon),
            "properties": {
                "kind": "event",
                "type": e.event_type.as_str(),
                "date": e.date,
                "date_precision": e.date_precision.as_str(),
                "place": look.opt_name(e.place.as_deref()),
                "perpetrator": e.perpetrator.as_deref().map(|p| look.name(p)),
                "target": e.target.as_deref().map(|t| look.name(t)),
                "killed": number(e.killed),
                "injured": number(e.injured),
                "doc": e.doc,
                "text": e.text,
            },
        }));
    }
    let mut places: Vec<_> = ds.entities.iter().filter(|e| e.is_place()).collect();
    places.sort_by(|a, b| a.id.cmp(&b.id));
    places.dedup_by(|a, b| a.id == b.id);
    for p in places {
        let Some((lat, lon)) = coordinates(p) else {
            continue;
        };
        features.push(json!({
            "type": "Feature",
            "id": format!("place:{}", p.id),
            "geometry": point(lat, lon),
            "properties": {
                "kind": "place",
                "id": p.id,
                "name": p.canonical,
                "type": p.entity_type.as_str(),
                "country": p.country,
                "mentions": look.mention_count(&p.id),
            },
        }));
    }
    let collection = json!({"type": "FeatureCollection", "features": features});
    serde_json::to_writer_pretty(&mut *out, &collection)?;
    writeln!(out)
}

/// GeoJSON positions are longitude first.
fn point(lat: f64, lon: f64) -> Value {
    json!({"type": "Point", "coordinates": [json_number(lon), json_number(lat)]})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    fn collection(owned: &fixture::Owned) -> Value {
        let mut out = Vec::new();
        write(&owned.dataset(), &mut out).unwrap();
        serde_json::from_slice(&out).unwrap()
    }

    #[test]
    fn event_sits_at_its_town_with_longitude_first() {
        let c = collection(&fixture::sample());
        let event = c["features"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["properties"]["kind"] == "event")
            .unwrap();
        assert_eq!(event["geometry"]["coordinates"], json!([71.36, 34.16]));
        assert_eq!(event["properties"]["perpetrator"], "Hill Front");
        assert_eq!(event["properties"]["killed"], 6);
        assert_eq!(event["properties"]["injured"], Value::Null);
    }

    #[test]
    fn places_without_coordinates_are_left_off() {
        let c = collection(&fixture::sample());
        let places: Vec<_> = c["features"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["properties"]["kind"] == "place")
            .collect();
        assert_eq!(
            places.len(),
            3,
            "pakistan, province, town; the district has no coordinates"
        );
        let town = places
            .iter()
            .find(|p| p["properties"]["id"] == "warsak")
            .unwrap();
        assert_eq!(town["properties"]["mentions"], 2);
    }

    #[test]
    fn out_of_range_coordinates_are_dropped_not_clamped() {
        let mut owned = fixture::sample();
        owned.entities[5].lat = Some(134.16);
        owned.entities[2].lon = Some(f64::NAN);
        let c = collection(&owned);
        let kinds: Vec<_> = c["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["properties"]["kind"].clone())
            .collect();
        assert_eq!(kinds, vec![json!("place")], "only the province is left");
    }
}
