//! Test helpers shared by the claims rules' unit tests.

use crate::EntitySpan;
use dossier_model::EntityType;

/// Builds a text and its entity spans from `[Name|id|type]` markup (type defaults to
/// `armed_group`).
pub(crate) fn fixture(src: &str) -> (String, Vec<EntitySpan>) {
    let mut text = String::new();
    let mut ents = Vec::new();
    let mut rest = src;
    while let Some(open) = rest.find('[') {
        text.push_str(&rest[..open]);
        let close = open + rest[open..].find(']').expect("closing bracket");
        let mut parts = rest[open + 1..close].split('|');
        let name = parts.next().expect("name");
        let id = parts.next().expect("id");
        let ty: EntityType = parts.next().unwrap_or("armed_group").parse().expect("type");
        let start = text.len();
        text.push_str(name);
        ents.push(EntitySpan {
            start,
            end: text.len(),
            id: id.into(),
            entity_type: ty,
        });
        rest = &rest[close + 1..];
    }
    text.push_str(rest);
    (text, ents)
}
