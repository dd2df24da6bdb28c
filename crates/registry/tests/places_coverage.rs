//! The built-in place list covers the towns of the region that reporting names, and
//! leaves out (or makes case-sensitive) town names that are ordinary words or people's
//! names. The rows come from tools/registry/gen_places.py; these sentences are written
//! for this test.

use dossier_registry::{tokenize, Registry};

/// Ids of every entity matched in `text`, in order.
fn matched_ids(reg: &Registry, text: &str) -> Vec<String> {
    let tokens = tokenize(text);
    let mut out = Vec::new();
    for m in reg.index().find(&tokens) {
        for &e in m.entries.iter() {
            let id = &reg.entity(reg.index().entry(e).entity).id;
            if !out.contains(id) {
                out.push(id.clone());
            }
        }
    }
    out
}

fn parent_of(reg: &Registry, id: &str) -> Option<String> {
    reg.get(id).and_then(|e| e.parent.clone())
}

#[test]
fn generated_towns_resolve_with_their_province() {
    let reg = Registry::builtin().unwrap();
    let cases = [
        (
            "Police in Muridke sealed the seminary on Tuesday.",
            "muridke",
            "punjab",
        ),
        ("A convoy left Kotli before dawn.", "kotli", "azad-kashmir"),
        (
            "Shops in Kupwara stayed shut after the firing.",
            "kupwara",
            "jammu-and-kashmir",
        ),
        (
            "Traders crossed from Sarakhs into Turkmenistan.",
            "sarakhs",
            "razavi-khorasan",
        ),
        (
            "The governor of Gereshk district was replaced.",
            "gereshk",
            "helmand",
        ),
        (
            "Refugees reached Shindand by bus.",
            "shindand",
            "herat-province",
        ),
        (
            "Flights to Kargil were cancelled by snow.",
            "kargil",
            "ladakh",
        ),
        (
            "Residents of Iranshahr protested the arrests.",
            "iranshahr",
            "sistan-and-baluchestan",
        ),
        (
            "The bridge at Ishqoshim was reopened.",
            "ishqoshim",
            "gorno-badakhshan",
        ),
    ];
    for (text, id, parent) in cases {
        let ids = matched_ids(&reg, text);
        assert!(
            ids.iter().any(|i| i == id),
            "{id} not found in {text:?}: {ids:?}"
        );
        assert_eq!(
            parent_of(&reg, id).as_deref(),
            Some(parent),
            "parent of {id}"
        );
        let e = reg.get(id).unwrap();
        assert!(e.lat.is_some() && e.lon.is_some(), "{id} has no point");
    }
}

#[test]
fn transliteration_variants_and_short_forms_resolve() {
    let reg = Registry::builtin().unwrap();
    // GeoNames' alternate spelling, and the name without its "New ... City" wrapper.
    assert_eq!(reg.entity(reg.lookup("Sheikhupura")[0]).id, "shekhupura");
    assert_eq!(
        reg.entity(reg.lookup("Mirpur")[0]).id,
        "mirpur",
        "Mirpur is the Azad Kashmir city"
    );
    assert_eq!(reg.entity(reg.lookup("Rajauri")[0]).id, "rajouri");
    assert_eq!(reg.entity(reg.lookup("Khorugh")[0]).id, "khorog");
}

#[test]
fn ordinary_words_and_personal_names_are_not_places() {
    let reg = Registry::builtin().unwrap();
    // Each sentence holds a word GeoNames also has as a town's name.
    let sentences = [
        "Mary said the chamber would vote on Monday.",
        "Bela and her brother wore a topi to the wedding.",
        "The chak was flooded and the thal stayed dry.",
        "Mian Sahib addressed the gathering in his village.",
        "Ali and Gul met Khan at the bazar.",
        "Sharif told the lower chamber that the tank was empty.",
    ];
    for text in sentences {
        let places: Vec<String> = matched_ids(&reg, text)
            .into_iter()
            .filter(|id| {
                reg.get(id).is_some_and(|e| {
                    matches!(
                        e.entity_type,
                        dossier_model::EntityType::Town | dossier_model::EntityType::City
                    )
                })
            })
            .collect();
        assert!(places.is_empty(), "{text:?} found places {places:?}");
    }
}

#[test]
fn case_sensitive_town_names_match_only_as_written() {
    let reg = Registry::builtin().unwrap();
    // "Samba" the Jammu town, not the dance.
    assert!(matched_ids(&reg, "Troops were moved to Samba overnight.").contains(&"samba".into()));
    assert!(!matched_ids(&reg, "They danced the samba overnight.").contains(&"samba".into()));
    assert!(matched_ids(&reg, "The road from Leh was closed.").contains(&"leh".into()));
}

#[test]
fn persons_of_the_actor_list_do_not_become_towns() {
    let reg = Registry::builtin().unwrap();
    for name in ["Haqqani", "Mehsud", "Wazir", "Bugti", "Achakzai", "Baloch"] {
        for idx in reg.lookup(name) {
            let e = reg.entity(idx);
            assert!(
                !matches!(
                    e.entity_type,
                    dossier_model::EntityType::Town | dossier_model::EntityType::City
                ),
                "{name} resolves to the town {}",
                e.id
            );
        }
    }
}

/// Every name of the generator's screening lists, as written there and capitalised.
fn screened_names() -> Vec<String> {
    let lists = [
        include_str!("../../../tools/registry/person_names.txt"),
        include_str!("../../../tools/registry/regional_words.txt"),
    ];
    let mut out = Vec::new();
    for list in lists {
        for line in list.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            out.push(line.to_string());
            let mut cap = line.chars();
            if let Some(first) = cap.next() {
                out.push(first.to_uppercase().chain(cap).collect());
            }
        }
    }
    out
}

#[test]
fn screened_names_resolve_to_no_town_even_loosely() {
    let reg = Registry::builtin().unwrap();
    for name in screened_names() {
        // In a sentence, so that the transliteration-tolerant match is tried as well.
        let text = format!("A man called {name} spoke to reporters.");
        for id in matched_ids(&reg, &text) {
            let e = reg.get(&id).unwrap();
            assert!(
                !matches!(
                    e.entity_type,
                    dossier_model::EntityType::Town | dossier_model::EntityType::City
                ),
                "{name:?} matched the town {id}"
            );
        }
    }
}

#[test]
fn an_acronym_is_not_the_town_it_spells() {
    let reg = Registry::builtin().unwrap();
    let ids = matched_ids(&reg, "Paste the URI of the feed into the DIR field.");
    assert!(
        !ids.contains(&"uri".into()) && !ids.contains(&"dir".into()),
        "{ids:?}"
    );
}

#[test]
fn words_a_loose_match_could_bend_into_a_town_do_not_reach_it() {
    let reg = Registry::builtin().unwrap();
    // Each capitalised word is a transliteration-style variant of a town's name
    // (Sarayan in Iran, Sanghar and Gujrat in Pakistan); those towns match only as written.
    let cases = [
        ("Syrian officials denied the report.", "sarayan"),
        ("Singer and actor spoke at the rally.", "sanghar"),
        ("Gujarat police arrested two men.", "gujrat"),
    ];
    for (text, town) in cases {
        assert!(
            !matched_ids(&reg, text).contains(&town.into()),
            "{text:?} found {town}"
        );
    }
    // The town itself, as written, still resolves.
    assert!(matched_ids(&reg, "Floods reached Sanghar on Friday.").contains(&"sanghar".into()));
    assert!(matched_ids(&reg, "A bus from Gujrat overturned.").contains(&"gujrat".into()));
}
