//! The phrase book: sentence templates and word pools, parsed from
//! `data/phrases.txt` (format described at the top of that file).

use crate::GenError;
use dossier_model::{Bound, EventType, Metric, RelationType, Stance};

/// A placeholder in a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Group,
    Group2,
    State,
    Source,
    Place,
    Person,
    New,
    Abbr,
    N,
    M,
    Year,
    When,
    Weekday,
    Quote,
}

impl Slot {
    fn parse(name: &str) -> Option<Slot> {
        Some(match name {
            "group" => Slot::Group,
            "group2" => Slot::Group2,
            "state" => Slot::State,
            "source" => Slot::Source,
            "place" => Slot::Place,
            "person" => Slot::Person,
            "new" => Slot::New,
            "abbr" => Slot::Abbr,
            "n" => Slot::N,
            "m" => Slot::M,
            "year" => Slot::Year,
            "when" => Slot::When,
            "weekday" => Slot::Weekday,
            "quote" => Slot::Quote,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Lit(String),
    Slot(Slot),
}

/// A pre-parsed template: literal text and placeholders in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Template(pub Vec<Piece>);

impl Template {
    fn parse(line: &str, line_no: usize) -> Result<Template, GenError> {
        let mut pieces = Vec::new();
        let mut rest = line;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                pieces.push(Piece::Lit(rest[..open].to_string()));
            }
            let close = rest[open..]
                .find('}')
                .map(|c| open + c)
                .ok_or_else(|| bad(line_no, "unclosed `{`"))?;
            let name = &rest[open + 1..close];
            let slot = Slot::parse(name)
                .ok_or_else(|| bad(line_no, &format!("unknown placeholder `{{{name}}}`")))?;
            pieces.push(Piece::Slot(slot));
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Lit(rest.to_string()));
        }
        Ok(Template(pieces))
    }
}

/// What a template section plants in the article.
#[derive(Debug, Clone, PartialEq)]
pub enum Plant {
    Figure {
        metric: Metric,
        bound: Bound,
        unit: String,
        n: (u64, u64),
        m: Option<(u64, u64)>,
    },
    Relation {
        relation: RelationType,
        stance: Stance,
        source: Slot,
        target: Slot,
    },
    Event(EventType),
}

/// How a relative date phrase moves from the publication date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shift {
    Months(i32),
    Days(i64),
    /// A weekday 1–6 days before publication ("On Tuesday").
    Weekday,
    Years(i32),
}

#[derive(Debug, Clone, PartialEq)]
pub struct When {
    pub text: Template,
    pub shift: Shift,
    pub precision: String,
}

/// Everything `data/phrases.txt` holds.
#[derive(Debug, Clone, Default)]
pub struct Phrases {
    pub planting: Vec<(Plant, Vec<Template>)>,
    pub new_group: Vec<Template>,
    pub new_group_again: Vec<Template>,
    pub person: Vec<Template>,
    pub filler: Vec<Template>,
    pub quote: Vec<String>,
    pub when: Vec<When>,
    pub title: Vec<String>,
    pub given: Vec<String>,
    pub surname: Vec<String>,
    pub new_word: Vec<String>,
    pub new_head: Vec<String>,
    pub variant: Vec<(String, String)>,
    pub headline: Vec<Template>,
    pub publisher: Vec<String>,
    pub share: Vec<String>,
    pub cookie: Vec<String>,
    pub related: Vec<String>,
    pub teaser: Vec<Template>,
}

fn bad(line: usize, message: &str) -> GenError {
    GenError::Phrases {
        line,
        message: message.to_string(),
    }
}

/// The current section header: its kind and `key=value` attributes.
struct Header {
    kind: String,
    attrs: Vec<(String, String)>,
    line: usize,
}

impl Header {
    fn get(&self, key: &str) -> Result<&str, GenError> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| bad(self.line, &format!("[{}] needs `{key}=`", self.kind)))
    }

    fn range(&self, key: &str) -> Result<Option<(u64, u64)>, GenError> {
        let Some((_, v)) = self.attrs.iter().find(|(k, _)| k == key) else {
            return Ok(None);
        };
        let parsed = v
            .split_once("..")
            .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)));
        match parsed {
            Some((a, b)) if a <= b => Ok(Some((a, b))),
            _ => Err(bad(self.line, &format!("`{key}={v}` is not LOW..HIGH"))),
        }
    }

    fn parsed<T: std::str::FromStr>(&self, key: &str) -> Result<T, GenError>
    where
        T::Err: std::fmt::Display,
    {
        let v = self.get(key)?;
        v.parse()
            .map_err(|e| bad(self.line, &format!("`{key}={v}`: {e}")))
    }

    fn slot(&self, key: &str) -> Result<Slot, GenError> {
        let v = self.get(key)?;
        Slot::parse(v).ok_or_else(|| bad(self.line, &format!("`{key}={v}` is no placeholder")))
    }

    fn plant(&self) -> Result<Option<Plant>, GenError> {
        Ok(Some(match self.kind.as_str() {
            "figure" => Plant::Figure {
                metric: self.parsed("metric")?,
                bound: self.parsed("bound")?,
                unit: self.get("unit")?.to_string(),
                n: self
                    .range("n")?
                    .ok_or_else(|| bad(self.line, "figure needs `n=`"))?,
                m: self.range("m")?,
            },
            "relation" => Plant::Relation {
                relation: self.parsed("type")?,
                stance: self.parsed("stance")?,
                source: self.slot("source")?,
                target: self.slot("target")?,
            },
            "event" => Plant::Event(self.parsed("type")?),
            _ => return Ok(None),
        }))
    }

    fn when(&self, text: Template) -> Result<When, GenError> {
        let num = |k: &str| self.attrs.iter().find(|(key, _)| key == k).map(|(_, v)| v);
        let shift = if let Some(v) = num("month") {
            Shift::Months(v.parse().map_err(|_| bad(self.line, "bad `month=`"))?)
        } else if let Some(v) = num("day") {
            Shift::Days(v.parse().map_err(|_| bad(self.line, "bad `day=`"))?)
        } else if let Some(v) = num("year") {
            Shift::Years(v.parse().map_err(|_| bad(self.line, "bad `year=`"))?)
        } else if num("weekday").is_some() {
            Shift::Weekday
        } else {
            return Err(bad(
                self.line,
                "[when] needs month=, day=, year= or weekday=",
            ));
        };
        Ok(When {
            text,
            shift,
            precision: self.get("precision")?.to_string(),
        })
    }
}

impl Phrases {
    pub fn builtin() -> Result<Phrases, GenError> {
        Phrases::parse(include_str!("../data/phrases.txt"))
    }

    pub fn parse(source: &str) -> Result<Phrases, GenError> {
        let mut p = Phrases::default();
        let mut header: Option<Header> = None;
        for (i, raw) in source.lines().enumerate() {
            let line_no = i + 1;
            if raw.trim().is_empty() || raw.trim_start().starts_with('#') {
                continue;
            }
            if let Some(inner) = raw
                .trim()
                .strip_prefix('[')
                .and_then(|r| r.strip_suffix(']'))
            {
                let mut words = inner.split_whitespace();
                let kind = words.next().unwrap_or_default().to_string();
                let attrs = words
                    .map(|w| match w.split_once('=') {
                        Some((k, v)) => Ok((k.to_string(), v.to_string())),
                        None => Err(bad(line_no, &format!("`{w}` is not key=value"))),
                    })
                    .collect::<Result<_, _>>()?;
                let h = Header {
                    kind,
                    attrs,
                    line: line_no,
                };
                if let Some(plant) = h.plant()? {
                    p.planting.push((plant, Vec::new()));
                }
                header = Some(h);
                continue;
            }
            let h = header
                .as_ref()
                .ok_or_else(|| bad(line_no, "an item before any [section]"))?;
            p.add(h, raw, line_no)?;
        }
        p.check()?;
        Ok(p)
    }

    fn add(&mut self, h: &Header, raw: &str, line_no: usize) -> Result<(), GenError> {
        let line = raw.trim();
        let template = || Template::parse(line, line_no);
        match h.kind.as_str() {
            "figure" | "relation" | "event" => {
                let t = template()?;
                if let Some((_, list)) = self.planting.last_mut() {
                    list.push(t);
                }
            }
            "new_group" => self.new_group.push(template()?),
            "new_group_again" => self.new_group_again.push(template()?),
            "person" => self.person.push(template()?),
            "filler" => self.filler.push(template()?),
            "headline" => self.headline.push(template()?),
            "teaser" => self.teaser.push(template()?),
            "when" => self.when.push(h.when(template()?)?),
            "quote" => self.quote.push(line.to_string()),
            "title" => self.title.push(line.to_string()),
            "given" => self.given.push(line.to_string()),
            "surname" => self.surname.push(line.to_string()),
            "new_word" => self.new_word.push(line.to_string()),
            "new_head" => self.new_head.push(line.to_string()),
            "publisher" => self.publisher.push(line.to_string()),
            "share" => self.share.push(line.to_string()),
            "cookie" => self.cookie.push(line.to_string()),
            "related" => self.related.push(line.to_string()),
            "variant" => {
                // Variants keep their inner spaces (" ul "): split the raw line on the tab.
                let (a, b) = raw
                    .split_once('\t')
                    .ok_or_else(|| bad(line_no, "a variant is FROM<TAB>TO"))?;
                self.variant.push((a.to_string(), b.to_string()));
            }
            other => return Err(bad(h.line, &format!("unknown section [{other}]"))),
        }
        Ok(())
    }

    /// Every pool the generator draws from must have something in it.
    fn check(&self) -> Result<(), GenError> {
        let pools: [(&str, usize); 13] = [
            ("new_group", self.new_group.len()),
            ("new_group_again", self.new_group_again.len()),
            ("person", self.person.len()),
            ("filler", self.filler.len()),
            ("when", self.when.len()),
            ("title", self.title.len()),
            ("given", self.given.len()),
            ("surname", self.surname.len()),
            ("new_word", self.new_word.len()),
            ("new_head", self.new_head.len()),
            ("headline", self.headline.len()),
            ("publisher", self.publisher.len()),
            ("quote", self.quote.len()),
        ];
        if let Some((name, _)) = pools.iter().find(|(_, n)| *n == 0) {
            return Err(bad(0, &format!("section [{name}] is missing or empty")));
        }
        if self.planting.iter().any(|(_, t)| t.is_empty()) {
            return Err(bad(0, "a figure/relation/event section has no templates"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_phrase_book_parses() {
        let p = Phrases::builtin().expect("data/phrases.txt");
        assert!(p.planting.len() >= 10);
        assert!(p.variant.iter().any(|(a, _)| a == "Mehsud"));
    }

    #[test]
    fn template_splits_literals_and_slots() {
        let t = Template::parse("{group} killed {n} people.", 1).expect("template");
        assert_eq!(
            t.0,
            vec![
                Piece::Slot(Slot::Group),
                Piece::Lit(" killed ".into()),
                Piece::Slot(Slot::N),
                Piece::Lit(" people.".into()),
            ]
        );
    }

    #[test]
    fn unknown_placeholder_and_bad_vocabulary_are_errors_with_lines() {
        let e = Phrases::parse("[filler]\nHello {nobody}.\n").unwrap_err();
        assert!(e.to_string().contains("line 2"), "{e}");
        let e =
            Phrases::parse("[figure metric=bogus bound=exact unit=people n=1..2]\n").unwrap_err();
        assert!(e.to_string().contains("line 1"), "{e}");
    }
}
