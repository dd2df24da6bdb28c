//! Composing one synthetic article and recording what it planted.

use crate::cast::{invent_group, invent_person, variant_of, Named, Pools};
use crate::date::Date;
use crate::phrases::{Phrases, Piece, Plant, Shift, Slot, Template};
use crate::rng::Rng;
use dossier_model::{Bound, EventType, Metric, RelationType, Stance};
use dossier_registry::Registry;
use serde::Serialize;

/// An actor an article names; `id` is the registry id, `None` for invented ones.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlantedActor {
    pub id: Option<String>,
    /// `group`, `state`, `source`, `place`, `new_group` or `person`.
    pub kind: &'static str,
    /// The canonical name for invented actors, the registry id otherwise.
    pub name: String,
    /// Every surface form the article used.
    pub texts: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlantedFigure {
    pub value: u64,
    pub value_max: Option<u64>,
    pub bound: Bound,
    pub metric: Metric,
    pub unit: String,
    pub subject: Option<String>,
    pub source: Option<String>,
    pub period: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlantedRelation {
    pub source: String,
    #[serde(rename = "type")]
    pub relation: RelationType,
    pub target: String,
    pub stance: Stance,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlantedEvent {
    #[serde(rename = "type")]
    pub event: EventType,
    pub date: Option<String>,
    pub date_precision: String,
    pub perpetrator: Option<String>,
    pub place: Option<String>,
    pub text: String,
}

/// What the generator put into an article: the answer key for recall tests.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Planted {
    pub actors: Vec<PlantedActor>,
    pub figures: Vec<PlantedFigure>,
    pub relations: Vec<PlantedRelation>,
    pub events: Vec<PlantedEvent>,
}

/// One generated article before it is rendered to a file format.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub doc: String,
    pub title: String,
    pub published: Date,
    pub publisher: String,
    pub author: String,
    pub paragraphs: Vec<String>,
    pub teasers: Vec<String>,
    pub copy_of: Option<String>,
    pub planted: Planted,
}

/// The actors one article is about, chosen before writing it.
struct Cast<'p> {
    groups: Vec<&'p Named>,
    states: Vec<&'p Named>,
    sources: Vec<&'p Named>,
    places: Vec<&'p Named>,
    persons: Vec<(String, String)>,
    new_group: Option<(String, String)>,
}

/// The values one sentence's placeholders take.
struct Choice<'p> {
    group: &'p Named,
    group2: &'p Named,
    state: &'p Named,
    source: &'p Named,
    place: &'p Named,
    person: usize,
    n: u64,
    m: u64,
    year: i32,
    when: usize,
    quote: usize,
}

pub struct Writer<'a> {
    pub reg: &'a Registry,
    pub phrases: &'a Phrases,
    pub pools: &'a Pools,
}

fn distinct<'p>(rng: &mut Rng, pool: &'p [Named], k: usize) -> Vec<&'p Named> {
    let mut out: Vec<&Named> = Vec::new();
    for _ in 0..k * 4 {
        if out.len() == k {
            break;
        }
        if let Some(n) = rng.pick(pool) {
            if !out.iter().any(|o| o.id == n.id) {
                out.push(n);
            }
        }
    }
    out
}

/// "2,500" or "2500": both forms occur in the press.
fn number(rng: &mut Rng, n: u64) -> String {
    if n < 1000 || rng.chance(0.3) {
        return n.to_string();
    }
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl<'a> Writer<'a> {
    /// Write article `index` from its own random stream: the same (seed, index) always
    /// gives the same article, whatever else is generated.
    pub fn article(&self, seed: u64, index: usize, doc: String, target_bytes: usize) -> Article {
        let mut rng = Rng::stream(seed, index as u64, 1);
        let published = Date::from_days(
            Date {
                year: 2023,
                month: 1,
                day: 1,
            }
            .to_days()
                + rng.range(0, 900) as i64,
        );
        let cast = self.cast(&mut rng);
        let mut planted = Planted::default();
        let mut paragraphs = Vec::new();
        let mut bytes = 0;
        let mut new_group_told = false;
        while bytes < target_bytes || paragraphs.len() < 3 {
            let sentences = rng.range(3, 5) as usize;
            let mut para = String::new();
            for s in 0..sentences {
                let kind = if paragraphs.is_empty() && s == 0 {
                    Kind::Event
                } else if paragraphs.len() == 1 && s == 0 && cast.new_group.is_some() {
                    Kind::NewGroup
                } else {
                    Kind::draw(&mut rng, new_group_told)
                };
                if kind == Kind::NewGroup {
                    new_group_told = true;
                }
                let sentence = self.sentence(kind, &cast, published, &mut rng, &mut planted);
                if !para.is_empty() {
                    para.push(' ');
                }
                para.push_str(&sentence);
            }
            bytes += para.len() + 2;
            paragraphs.push(para);
        }
        let title = self.headline(&cast, &mut rng);
        let teasers = (0..rng.range(2, 3))
            .filter_map(|_| {
                let t = rng.pick(&self.phrases.teaser)?.clone();
                Some(self.fill_plain(&t, &cast, &mut rng))
            })
            .collect();
        let author = invent_person(self.phrases, &mut rng)
            .map(|(_, n)| n)
            .unwrap_or_default();
        Article {
            doc,
            title,
            published,
            publisher: rng
                .pick(&self.phrases.publisher)
                .cloned()
                .unwrap_or_default(),
            author,
            paragraphs,
            teasers,
            copy_of: None,
            planted,
        }
    }

    fn cast(&self, rng: &mut Rng) -> Cast<'a> {
        let k = rng.range(2, 4) as usize;
        let persons = (0..rng.range(1, 2))
            .filter_map(|_| invent_person(self.phrases, rng))
            .collect();
        let new_group = if rng.chance(0.4) {
            invent_group(self.reg, self.phrases, rng)
        } else {
            None
        };
        let (ns, nsrc, np) = (rng.range(1, 2), rng.range(1, 3), rng.range(2, 3));
        Cast {
            groups: distinct(rng, &self.pools.groups, k),
            states: distinct(rng, &self.pools.states, ns as usize),
            sources: distinct(rng, &self.pools.sources, nsrc as usize),
            places: distinct(rng, &self.pools.places, np as usize),
            persons,
            new_group,
        }
    }

    fn choice<'c>(&self, cast: &Cast<'c>, published: Date, rng: &mut Rng) -> Option<Choice<'c>> {
        let group = *rng.pick(&cast.groups)?;
        let others: Vec<&Named> = cast
            .groups
            .iter()
            .copied()
            .filter(|g| g.id != group.id)
            .collect();
        let group2 = rng.pick(&others).copied().unwrap_or(group);
        Some(Choice {
            group,
            group2,
            state: *rng.pick(&cast.states)?,
            source: *rng.pick(&cast.sources)?,
            place: *rng.pick(&cast.places)?,
            person: rng.below(cast.persons.len()),
            n: 0,
            m: 0,
            year: published.year - rng.range(0, 1) as i32,
            when: rng.below(self.phrases.when.len()),
            quote: rng.below(self.phrases.quote.len()),
        })
    }

    fn sentence(
        &self,
        kind: Kind,
        cast: &Cast<'_>,
        published: Date,
        rng: &mut Rng,
        planted: &mut Planted,
    ) -> String {
        let Some(mut ch) = self.choice(cast, published, rng) else {
            return String::new();
        };
        let (plant, template) = match kind {
            Kind::Event | Kind::Figure | Kind::Relation => {
                let sections: Vec<&(Plant, Vec<Template>)> = self
                    .phrases
                    .planting
                    .iter()
                    .filter(|(p, _)| kind.takes(p))
                    .collect();
                let Some((plant, templates)) = rng.pick(&sections).copied() else {
                    return String::new();
                };
                let Some(t) = rng.pick(templates) else {
                    return String::new();
                };
                (Some(plant), t)
            }
            Kind::NewGroup | Kind::NewGroupAgain if cast.new_group.is_none() => {
                return self.sentence(Kind::Filler, cast, published, rng, planted)
            }
            Kind::NewGroup => (None, rng.pick(&self.phrases.new_group).unwrap_or(&EMPTY)),
            Kind::NewGroupAgain => (
                None,
                rng.pick(&self.phrases.new_group_again).unwrap_or(&EMPTY),
            ),
            Kind::Person => (None, rng.pick(&self.phrases.person).unwrap_or(&EMPTY)),
            Kind::Filler => (None, rng.pick(&self.phrases.filler).unwrap_or(&EMPTY)),
        };
        if let Some(Plant::Figure { n, m, .. }) = plant {
            ch.n = rng.range(n.0, n.1);
            ch.m = m.map_or(0, |m| rng.range(m.0.max(ch.n + 1), m.1.max(ch.n + 1)));
        } else {
            ch.n = rng.range(2, 40);
        }
        let mut used = Used::default();
        let text = self.fill(template, cast, &ch, published, rng, &mut used);
        self.record(plant, &ch, &used, &text, planted);
        text
    }

    /// Render a template with this sentence's choices, noting which names it wrote.
    fn fill(
        &self,
        t: &Template,
        cast: &Cast<'_>,
        ch: &Choice<'_>,
        published: Date,
        rng: &mut Rng,
        used: &mut Used,
    ) -> String {
        let mut out = String::new();
        for piece in &t.0 {
            match piece {
                Piece::Lit(s) => out.push_str(s),
                Piece::Slot(slot) => {
                    let text = self.slot_text(*slot, cast, ch, published, rng, used);
                    out.push_str(&text);
                }
            }
        }
        out
    }

    fn slot_text(
        &self,
        slot: Slot,
        cast: &Cast<'_>,
        ch: &Choice<'_>,
        published: Date,
        rng: &mut Rng,
        used: &mut Used,
    ) -> String {
        let name = |n: &Named, kind: &'static str, rng: &mut Rng, used: &mut Used| {
            let form = self.form(n, rng);
            used.actors
                .push((Some(n.id.clone()), kind, n.id.clone(), form.clone()));
            form
        };
        match slot {
            Slot::Group => name(ch.group, "group", rng, used),
            Slot::Group2 => name(ch.group2, "group", rng, used),
            Slot::State => name(ch.state, "state", rng, used),
            Slot::Source => name(ch.source, "source", rng, used),
            Slot::Place => name(ch.place, "place", rng, used),
            Slot::Person => match cast.persons.get(ch.person) {
                Some((title, person)) => {
                    used.actors
                        .push((None, "person", person.clone(), person.clone()));
                    format!("{title} {person}")
                }
                None => "a spokesman".to_string(),
            },
            Slot::New | Slot::Abbr => match &cast.new_group {
                Some((new, abbr)) => {
                    let text = if slot == Slot::New { new } else { abbr };
                    used.actors
                        .push((None, "new_group", new.clone(), text.clone()));
                    text.clone()
                }
                None => "the group".to_string(),
            },
            Slot::N => number(rng, ch.n),
            Slot::M => number(rng, ch.m),
            Slot::Year => ch.year.to_string(),
            Slot::Quote => self
                .phrases
                .quote
                .get(ch.quote)
                .cloned()
                .unwrap_or_default(),
            Slot::When | Slot::Weekday => {
                let Some(when) = self.phrases.when.get(ch.when) else {
                    return String::new();
                };
                let (date, iso) = match when.shift {
                    Shift::Months(k) => {
                        let d = published.add_months(k);
                        (d, d.iso_month())
                    }
                    Shift::Days(k) => {
                        let d = published.add_days(k);
                        (d, d.iso())
                    }
                    Shift::Weekday => {
                        let d = published.add_days(-(rng.range(1, 6) as i64));
                        (d, d.iso())
                    }
                    Shift::Years(k) => {
                        let d = Date {
                            year: published.year + k,
                            month: 1,
                            day: 1,
                        };
                        (d, d.year.to_string())
                    }
                };
                used.date = Some((iso, when.precision.clone()));
                let mut s = String::new();
                for p in &when.text.0 {
                    match p {
                        Piece::Lit(l) => s.push_str(l),
                        Piece::Slot(_) => s.push_str(date.weekday_name()),
                    }
                }
                s
            }
        }
    }

    /// A surface form of a registry name: mostly the canonical name or an alias,
    /// sometimes a transliteration variant the registry still resolves.
    fn form(&self, n: &Named, rng: &mut Rng) -> String {
        let base = rng.pick(&n.forms).cloned().unwrap_or_default();
        if rng.chance(0.3) {
            if let Some(v) = variant_of(&base, self.phrases, rng) {
                if self
                    .reg
                    .lookup(&v)
                    .iter()
                    .all(|&i| self.reg.entity(i).id == n.id)
                    && !self.reg.lookup(&v).is_empty()
                {
                    return v;
                }
            }
        }
        base
    }

    /// Headlines and teasers name things too, but are not counted as planted.
    fn fill_plain(&self, t: &Template, cast: &Cast<'_>, rng: &mut Rng) -> String {
        let published = Date {
            year: 2024,
            month: 1,
            day: 1,
        };
        match self.choice(cast, published, rng) {
            Some(ch) => self.fill(t, cast, &ch, published, rng, &mut Used::default()),
            None => String::new(),
        }
    }

    fn headline(&self, cast: &Cast<'_>, rng: &mut Rng) -> String {
        match rng.pick(&self.phrases.headline) {
            Some(t) => self.fill_plain(&t.clone(), cast, rng),
            None => String::new(),
        }
    }

    fn record(
        &self,
        plant: Option<&Plant>,
        ch: &Choice<'_>,
        used: &Used,
        text: &str,
        planted: &mut Planted,
    ) {
        for (id, kind, name, form) in &used.actors {
            match planted.actors.iter_mut().find(|a| &a.name == name) {
                Some(a) => {
                    if !a.texts.contains(form) {
                        a.texts.push(form.clone());
                    }
                }
                None => planted.actors.push(PlantedActor {
                    id: id.clone(),
                    kind,
                    name: name.clone(),
                    texts: vec![form.clone()],
                }),
            }
        }
        let id_of = |slot: Slot| -> String {
            match slot {
                Slot::Group => ch.group.id.clone(),
                Slot::Group2 => ch.group2.id.clone(),
                Slot::State => ch.state.id.clone(),
                Slot::Source => ch.source.id.clone(),
                Slot::Place => ch.place.id.clone(),
                _ => String::new(),
            }
        };
        match plant {
            Some(Plant::Figure {
                metric,
                bound,
                unit,
                ..
            }) => planted.figures.push(PlantedFigure {
                value: ch.n,
                value_max: (*bound == Bound::Range).then_some(ch.m),
                bound: *bound,
                metric: *metric,
                unit: unit.clone(),
                subject: Some(ch.group.id.clone()),
                source: Some(ch.source.id.clone()),
                period: Some(ch.year.to_string()),
                text: text.to_string(),
            }),
            Some(Plant::Relation {
                relation,
                stance,
                source,
                target,
            }) => planted.relations.push(PlantedRelation {
                source: id_of(*source),
                relation: *relation,
                target: id_of(*target),
                stance: *stance,
                text: text.to_string(),
            }),
            Some(Plant::Event(event)) => {
                let (date, precision) = used
                    .date
                    .clone()
                    .map_or((None, "unknown".to_string()), |(d, p)| (Some(d), p));
                planted.events.push(PlantedEvent {
                    event: *event,
                    date,
                    date_precision: precision,
                    perpetrator: used
                        .actors
                        .iter()
                        .find(|a| a.1 == "group")
                        .map(|a| a.2.clone()),
                    place: used
                        .actors
                        .iter()
                        .find(|a| a.1 == "place")
                        .map(|a| a.2.clone()),
                    text: text.to_string(),
                })
            }
            None => {}
        }
    }
}

static EMPTY: Template = Template(Vec::new());

/// Names and the date a sentence wrote: (registry id, kind, name, surface form).
#[derive(Default)]
struct Used {
    actors: Vec<(Option<String>, &'static str, String, String)>,
    date: Option<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Event,
    Figure,
    Relation,
    NewGroup,
    NewGroupAgain,
    Person,
    Filler,
}

impl Kind {
    /// Sentence mix of a typical conflict report: mostly context, one claim in three.
    fn draw(rng: &mut Rng, new_group_told: bool) -> Kind {
        match rng.below(100) {
            0..=44 => Kind::Filler,
            45..=59 => Kind::Figure,
            60..=74 => Kind::Relation,
            75..=84 => Kind::Event,
            85..=94 => Kind::Person,
            _ if new_group_told => Kind::NewGroupAgain,
            _ => Kind::Filler,
        }
    }

    fn takes(self, plant: &Plant) -> bool {
        matches!(
            (self, plant),
            (Kind::Event, Plant::Event(_))
                | (Kind::Figure, Plant::Figure { .. })
                | (Kind::Relation, Plant::Relation { .. })
        )
    }
}
