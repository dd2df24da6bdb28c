//! Property: the reconciler's answers do not depend on the order of its input.

use dossier_model::{Bound, Figure, Metric, Relation, RelationType, Stance};
use dossier_reconcile::{DocInfo, Reconciler};

/// A small deterministic generator (xorshift), so failures reproduce from the seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[(self.next() % xs.len() as u64) as usize]
    }
    fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            xs.swap(i, j);
        }
    }
}

fn input(rng: &mut Rng) -> (Vec<Figure>, Vec<Relation>, Vec<DocInfo>) {
    let docs = ["a", "b", "c", "d"];
    let mut figures = Vec::new();
    for i in 0..40 {
        let bound = *rng.pick(&[
            Bound::Exact,
            Bound::AtLeast,
            Bound::Approx,
            Bound::Range,
            Bound::AtMost,
        ]);
        let value = *rng.pick(&[48.0, 482.0, 600.0, 6000.0, 7000.0, 1203.0, 1210.0]);
        figures.push(Figure {
            doc: rng.pick(&docs).to_string(),
            value,
            value_max: (bound == Bound::Range).then_some(value * 1.5),
            bound,
            unit: "attacks".into(),
            metric: *rng.pick(&[Metric::Attacks, Metric::Fighters, Metric::PercentChange]),
            subject: rng.pick(&[Some("ttp".to_string()), None]).clone(),
            period: rng
                .pick(&[Some("2024".to_string()), None, Some("2020/".to_string())])
                .clone(),
            place: rng.pick(&[Some("pakistan".to_string()), None]).clone(),
            source: rng
                .pick(&[Some("un".to_string()), Some("author".to_string()), None])
                .clone(),
            hedged: rng.next() & 1 == 0,
            start: (rng.next() % 500) as usize,
            end: 500 + i,
            text: format!("{value} attacks"),
            rule: "test".into(),
        });
    }
    let mut relations = Vec::new();
    for i in 0..20 {
        relations.push(Relation {
            doc: rng.pick(&docs).to_string(),
            source: "afghan-taliban".into(),
            relation_type: *rng.pick(&[
                RelationType::Shelters,
                RelationType::Finances,
                RelationType::OperatesIn,
            ]),
            target: "ttp".into(),
            stance: *rng.pick(&[Stance::Asserted, Stance::Denied, Stance::Speculative]),
            attributed_to: rng.pick(&[Some("un".to_string()), None]).clone(),
            start: i,
            end: i + 4,
            text: "text".into(),
            rule: "test".into(),
        });
    }
    let infos = docs
        .iter()
        .map(|d| DocInfo {
            doc: d.to_string(),
            published: Some(format!("2025-0{}", 1 + (rng.next() % 9))),
            near_duplicate_of: (*d == "b").then(|| "a".to_string()),
            publisher: None,
            text: None,
        })
        .collect();
    (figures, relations, infos)
}

#[test]
fn shuffled_input_gives_identical_output() {
    let r = Reconciler::default();
    for seed in 1..=60u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let (mut figures, mut relations, mut docs) = input(&mut rng);
        let disputes = serde_json::to_string(&r.disputes(&figures, &docs)).unwrap();
        let support = serde_json::to_string(&r.corroboration(&figures, &docs)).unwrap();
        let contested = serde_json::to_string(&r.contested(&relations, &docs)).unwrap();
        for _ in 0..5 {
            rng.shuffle(&mut figures);
            rng.shuffle(&mut relations);
            rng.shuffle(&mut docs);
            assert_eq!(
                serde_json::to_string(&r.disputes(&figures, &docs)).unwrap(),
                disputes,
                "seed {seed}"
            );
            assert_eq!(
                serde_json::to_string(&r.corroboration(&figures, &docs)).unwrap(),
                support,
                "seed {seed}"
            );
            assert_eq!(
                serde_json::to_string(&r.contested(&relations, &docs)).unwrap(),
                contested,
                "seed {seed}"
            );
        }
    }
}
