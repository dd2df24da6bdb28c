//! Entity-stage tests on a small registry and sentences of our own.

use super::*;

const ACTORS: &str = r#"
[[actor]]
id = "ttp"
canonical = "Tehrik-i-Taliban Pakistan"
type = "armed_group"
aliases = ["TTP", "Pakistani Taliban"]

[[actor]]
id = "afghan-taliban"
canonical = "Afghan Taliban"
type = "armed_group"
aliases = ["Taliban"]

[[actor]]
id = "haqqani-network"
canonical = "Haqqani network"
type = "armed_group"
aliases = ["Haqqanis"]
shared = ["Haqqani"]

[[actor]]
id = "sirajuddin-haqqani"
canonical = "Sirajuddin Haqqani"
type = "person"
shared = ["Haqqani"]
"#;

const PLACES: &str = "id\tcanonical\ttype\tcountry\tparent\tlat\tlon\taliases\texact\tsource\n\
pakistan\tPakistan\tcountry\tPK\t\t30\t70\t\t\thand\n\
khyber-pakhtunkhwa\tKhyber Pakhtunkhwa\tprovince\tPK\tpakistan\t34.5\t72\tKP\t\thand\n\
khyber\tKhyber\tdistrict\tPK\tkhyber-pakhtunkhwa\t34\t71\t\t\thand\n";

fn pipeline() -> Pipeline {
    Pipeline::new(Registry::from_sources(ACTORS, PLACES).unwrap())
}

fn mentions(text: &str) -> Vec<(String, String)> {
    pipeline()
        .entities("d", text)
        .mentions
        .into_iter()
        .map(|m| {
            assert_eq!(&text[m.start..m.end], m.text);
            (m.text, m.entity)
        })
        .collect()
}

fn has(found: &[(String, String)], text: &str, id: &str) -> bool {
    found.iter().any(|(t, e)| t == text && e == id)
}

#[test]
fn registry_aliases_and_transliterations_link_to_one_entity() {
    let found = mentions(
        "Tehreek-e-Taliban Pakistan fighters and the Pakistani Taliban, not the Taliban’s envoys.",
    );
    assert!(
        has(&found, "Tehreek-e-Taliban Pakistan", "ttp"),
        "{found:?}"
    );
    assert!(has(&found, "Pakistani Taliban", "ttp"));
    assert!(has(&found, "Taliban", "afghan-taliban"));
}

#[test]
fn acronym_definitions_are_learned_for_known_and_new_names() {
    let text = "Fighters of the Lashkar-e-Shams Front (LSF) crossed into Khyber Pakhtunkhwa (K-P). Later the LSF struck K-P again.";
    let analysis = pipeline().entities("d", text);
    let found: Vec<(String, String)> = analysis
        .mentions
        .iter()
        .map(|m| (m.text.clone(), m.entity.clone()))
        .collect();
    assert!(
        has(&found, "Lashkar-e-Shams Front", "lashkar-e-shams-front"),
        "{found:?}"
    );
    assert_eq!(
        found
            .iter()
            .filter(|(_, e)| e == "lashkar-e-shams-front")
            .count(),
        3
    );
    assert_eq!(
        found
            .iter()
            .filter(|(_, e)| e == "khyber-pakhtunkhwa")
            .count(),
        3
    );
    let lsf = analysis
        .discovered
        .iter()
        .find(|e| e.id == "lashkar-e-shams-front")
        .unwrap();
    assert_eq!(lsf.entity_type, EntityType::ArmedGroup);
    assert!(lsf.discovered);
    assert!(analysis
        .learned_aliases
        .iter()
        .any(|l| l.entity == "khyber-pakhtunkhwa" && l.alias == "K-P"));
}

#[test]
fn organisations_are_found_by_head_words() {
    let found = mentions(
        "A new outfit, the Zarghun Valley Brigade, joined the Ministry of Tribal Affairs talks.",
    );
    assert!(
        has(&found, "Zarghun Valley Brigade", "zarghun-valley-brigade"),
        "{found:?}"
    );
    assert!(
        has(
            &found,
            "Ministry of Tribal Affairs",
            "ministry-of-tribal-affairs"
        ),
        "{found:?}"
    );
}

#[test]
fn a_head_word_after_generic_words_only_is_a_title_not_an_organisation() {
    let found =
        mentions("City Police Officer Tariq Baloch said the Zhob Levies Force had withdrawn.");
    assert!(
        !found.iter().any(|(t, _)| t.starts_with("City Police")),
        "{found:?}"
    );
    assert!(has(&found, "Tariq Baloch", "tariq-baloch"), "{found:?}");
}

#[test]
fn the_tail_of_a_name_joined_by_a_connector_is_no_speaker() {
    let found = mentions("The Campaign for Kurram Missing Persons says it counted 40 cases.");
    assert!(
        !found.iter().any(|(t, _)| t == "Kurram Missing Persons"),
        "{found:?}"
    );
}

#[test]
fn persons_by_title_speech_and_apposition_with_surname_follow_ups() {
    let text = "Mullah Zarif Akhund spoke first. “It will pass,” said Nadia Qasimi, a researcher in Kabul. \
                Lt. Gen. Tariq Warsi disagreed. Qasimi later added a caveat. Farid Nuristani, a former envoy, stayed silent.";
    let found = mentions(text);
    assert!(
        has(&found, "Mullah Zarif Akhund", "mullah-zarif-akhund"),
        "{found:?}"
    );
    assert!(has(&found, "Nadia Qasimi", "nadia-qasimi"), "{found:?}");
    assert!(has(&found, "Qasimi", "nadia-qasimi"), "{found:?}");
    assert!(has(&found, "Tariq Warsi", "tariq-warsi"), "{found:?}");
    assert!(
        has(&found, "Farid Nuristani", "farid-nuristani"),
        "{found:?}"
    );
}

#[test]
fn shared_aliases_follow_the_document_context() {
    let net = mentions("The Haqqanis run the checkpoints. Haqqani fighters guard them.");
    assert!(has(&net, "Haqqani", "haqqani-network"), "{net:?}");
    let person = mentions("Sirajuddin Haqqani met envoys. Later Haqqani flew to Doha.");
    assert!(has(&person, "Haqqani", "sirajuddin-haqqani"), "{person:?}");
}

#[test]
fn longest_match_picks_province_over_district() {
    let found = mentions("Attacks in Khyber Pakhtunkhwa and in Khyber district rose.");
    assert!(has(&found, "Khyber Pakhtunkhwa", "khyber-pakhtunkhwa"));
    assert!(has(&found, "Khyber", "khyber"));
}

#[test]
fn aka_pairs_name_one_person() {
    let found = mentions("The slain commander Rahmatullah, aka Qari Bilal Swati, led the cell.");
    let ids: Vec<&String> = found
        .iter()
        .filter(|(t, _)| t == "Qari Bilal Swati")
        .map(|(_, e)| e)
        .collect();
    assert_eq!(ids, vec!["rahmatullah"], "{found:?}");
}

#[test]
fn odd_text_never_panics_and_spans_stay_valid() {
    let p = pipeline();
    for text in [
        "",
        "(",
        "()",
        "(TTP",
        "Gen.",
        "aka",
        "Mullah",
        "\u{200b}(ÄB) Ü Group",
        "said A B,",
    ] {
        let a = p.analyze("d", text, None);
        for m in &a.mentions {
            assert_eq!(&text[m.start..m.end], m.text);
        }
    }
}

#[test]
fn a_person_in_possessive_form_inside_a_longer_name_is_mentioned_too() {
    let actors = format!(
        "{ACTORS}\n[[actor]]\nid = \"zia\"\ncanonical = \"Zia Rahimi\"\ntype = \"person\"\n\n[[actor]]\nid = \"zia-gov\"\ncanonical = \"Rahimi administration\"\ntype = \"government_body\"\naliases = [\"Zia Rahimi's cabinet\"]\n"
    );
    let p = Pipeline::new(Registry::from_sources(&actors, PLACES).unwrap());
    let a = p.analyze("d", "Zia Rahimi’s cabinet fell.", None);
    let ids: Vec<(&str, &str)> = a
        .mentions
        .iter()
        .map(|m| (m.entity.as_str(), m.text.as_str()))
        .collect();
    assert_eq!(
        ids,
        vec![("zia-gov", "Zia Rahimi’s cabinet"), ("zia", "Zia Rahimi")]
    );
}

#[test]
fn persons_are_found_by_common_given_names() {
    let found =
        mentions("Yesterday Sadiq Maroof and Karen Whitby met in Quetta. Maroof left early.");
    assert!(has(&found, "Sadiq Maroof", "sadiq-maroof"), "{found:?}");
    assert!(has(&found, "Karen Whitby", "karen-whitby"), "{found:?}");
    assert!(has(&found, "Maroof", "sadiq-maroof"), "{found:?}");
}

#[test]
fn groups_named_by_a_leading_arabic_or_urdu_word_are_discovered() {
    let found = mentions("The attack was claimed by Jaish al-Nasr, while Harakat Inqilab-e-Islami Pakistan (HIIP) stayed silent.");
    assert!(has(&found, "Jaish al-Nasr", "jaish-al-nasr"), "{found:?}");
    assert!(
        has(
            &found,
            "Harakat Inqilab-e-Islami Pakistan",
            "harakat-inqilab-e-islami-pakistan"
        ),
        "{found:?}"
    );
    assert!(
        has(&found, "HIIP", "harakat-inqilab-e-islami-pakistan"),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(t, e)| t == "HIIP" && e == "pakistan"),
        "{found:?}"
    );
}

#[test]
fn persons_are_found_by_role_nouns_before_their_names() {
    let found = mentions(
        "Analyst Corwin Vale said the talks stalled. Security researcher Thessaly Brandt wrote a note. \
         TTP spokesman Orrin Kestrel denied it. Local elder Malik Tarnow met them.",
    );
    for (name, id) in [
        ("Corwin Vale", "corwin-vale"),
        ("Thessaly Brandt", "thessaly-brandt"),
        ("Orrin Kestrel", "orrin-kestrel"),
        ("Malik Tarnow", "malik-tarnow"),
    ] {
        assert!(has(&found, name, id), "{name}: {found:?}");
    }
    // The role opening the sentence stays outside the name.
    assert!(
        !found.iter().any(|(t, _)| t.starts_with("Analyst")),
        "{found:?}"
    );
    // A role noun before a known non-person name, or before one word, proposes nobody.
    let found = mentions("The analyst Tehrik-i-Taliban Pakistan praised; an expert Vale said.");
    assert!(found.iter().all(|(_, e)| e == "ttp"), "{found:?}");
}

#[test]
fn persons_are_found_by_attribution_and_apposition_after_their_names() {
    let found = mentions(
        "According to Corwin Vale, a senior expert at the institute, attacks rose. \
         Thessaly Brandt, director of a research centre, disagreed.",
    );
    assert!(has(&found, "Corwin Vale", "corwin-vale"), "{found:?}");
    assert!(
        has(&found, "Thessaly Brandt", "thessaly-brandt"),
        "{found:?}"
    );
    // Without the comma the phrase is not a source's name.
    let found = mentions("According to Khyber Pakhtunkhwa police the road was closed.");
    assert!(
        found.iter().all(|(_, e)| e == "khyber-pakhtunkhwa"),
        "{found:?}"
    );
}

#[test]
fn particles_inside_names_keep_the_name_whole() {
    let found = mentions(
        "Militants loyal to Abu Harith al-Qurtubi said that Hamza bin Tarik, a commander, fled.",
    );
    assert!(
        has(&found, "Abu Harith al-Qurtubi", "abu-harith-al-qurtubi"),
        "{found:?}"
    );
    assert!(
        has(&found, "Hamza bin Tarik", "hamza-bin-tarik"),
        "{found:?}"
    );
    // A particle before a word that is not a name does not join it.
    let found = mentions("Said Akbar al said nothing.");
    assert!(found.iter().all(|(t, _)| !t.ends_with(" al")), "{found:?}");
}

#[test]
fn a_leaders_government_is_a_mention_of_what_the_leader_leads() {
    let actors = format!(
        "{ACTORS}\n[[actor]]\nid = \"fazal-rind\"\ncanonical = \"Fazal Rind\"\ntype = \"person\"\nleads = \"rind-republic\"\n\n[[actor]]\nid = \"rind-republic\"\ncanonical = \"Republic of Rindistan\"\ntype = \"state\"\n"
    );
    let p = Pipeline::new(Registry::from_sources(&actors, PLACES).unwrap());
    let a = p.analyze(
        "d",
        "After Fazal Rind’s government collapsed, aid stopped.",
        None,
    );
    let ids: Vec<(&str, &str, &str)> = a
        .mentions
        .iter()
        .map(|m| (m.entity.as_str(), m.text.as_str(), m.rule.as_str()))
        .collect();
    assert!(
        ids.contains(&(
            "rind-republic",
            "Fazal Rind’s government",
            "leader-government"
        )),
        "{ids:?}"
    );
    assert!(ids
        .iter()
        .any(|(e, t, _)| *e == "fazal-rind" && *t == "Fazal Rind"));
    // A possessive with any other noun is only the person.
    let b = p.analyze("d", "Fazal Rind’s brother was arrested.", None);
    assert!(b.mentions.iter().all(|m| m.entity != "rind-republic"));
}

#[test]
fn a_title_before_a_speaker_is_not_part_of_the_name() {
    let found = mentions("Later, Defence Minister Tariq Baig warned that the talks could fail.");
    assert!(found.iter().any(|(t, _)| t == "Tariq Baig"), "{found:?}");
    assert!(
        found.iter().all(|(t, _)| !t.contains("Minister")),
        "{found:?}"
    );
}
