//! One organisation, or one issue, however it is written: typographic or straight
//! apostrophes, accents, case, an acronym in parentheses all fold to the same entity.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::suggest::closest;
use crate::text::slugify;

/// A name split into its base and a trailing acronym: `Coopérative … (CDRQ)`.
pub fn split_acronym(name: &str) -> (&str, Option<&str>) {
    let t = name.trim();
    if let Some(stripped) = t.strip_suffix(')')
        && let Some(open) = stripped.rfind('(')
    {
        let base = stripped[..open].trim_end();
        let inner = stripped[open + 1..].trim();
        if !base.is_empty() && !inner.is_empty() {
            return (base, Some(inner));
        }
    }
    (t, None)
}

/// The comparison key of a name.
pub fn key(name: &str) -> String {
    slugify(name)
}

/// The keys a name is found under, in the order they are tried: the whole name (first),
/// its base without the acronym, the acronym.
struct Keys {
    all: Vec<String>,
}

impl Keys {
    fn of(name: &str) -> Keys {
        let (base, acronym) = split_acronym(name);
        let whole = key(name);
        let mut all = Vec::with_capacity(3);
        if base.len() != name.trim().len() {
            all.push(key(base));
        }
        all.insert(0, whole);
        all.extend(acronym.map(key));
        Keys { all }
    }
}

/// Entities known so far, indexed by every key that names them.
#[derive(Debug, Default)]
pub struct Resolver {
    index: FxHashMap<String, usize>,
    /// Display names, by entity id; suggestions come from these.
    names: Vec<String>,
    /// The entity each mention names for good (see `find_or_add`), by its text: most
    /// entities are named by many fiches, always in the same words, and are then found
    /// without folding the mention again.
    lasting: FxHashMap<String, usize>,
    /// Every key of the mentions found under their base or their acronym: an entity
    /// added under one of them, by a fiche read before, would take those mentions.
    fragile: FxHashSet<String>,
}

impl Resolver {
    /// Adds an entity under its name and its other keys. Returns the id of an entity that
    /// already holds one of those keys, if any (a conflict in a registry).
    pub fn add(&mut self, name: &str, other_keys: &[&str]) -> Result<usize, usize> {
        let mut keys = Keys::of(name).all;
        keys.extend(other_keys.iter().map(|k| key(k)));
        self.add_keys(name, keys)
    }

    fn add_keys(&mut self, name: &str, mut keys: Vec<String>) -> Result<usize, usize> {
        let id = self.names.len();
        keys.retain(|k| !k.is_empty());
        keys.sort();
        keys.dedup();
        if let Some(existing) = keys.iter().find_map(|k| self.index.get(k)) {
            return Err(*existing);
        }
        for k in keys {
            self.index.insert(k, id);
        }
        self.names.push(name.to_string());
        Ok(id)
    }

    /// The entity a mention names, if it is known.
    pub fn find(&self, mention: &str) -> Option<usize> {
        self.find_keys(&Keys::of(mention)).map(|(id, _)| id)
    }

    fn find_keys(&self, keys: &Keys) -> Option<(usize, bool)> {
        (keys.all.iter().enumerate()).find_map(|(n, k)| self.index.get(k).map(|id| (*id, n == 0)))
    }

    /// The entity a mention names; with `add`, a new one under the mention's keys when
    /// none does. Each key is made once. A mention found under its whole name, or added,
    /// names that entity for good, since a key never changes entity (`lasting`); one
    /// found under its base or its acronym may not, once an entity is added under its
    /// whole name (`fragile`).
    pub fn resolve(&mut self, mention: &str, add: bool) -> Option<usize> {
        if let Some(id) = self.lasting.get(mention) {
            return Some(*id);
        }
        let keys = Keys::of(mention);
        match self.find_keys(&keys) {
            Some((id, true)) => {
                self.lasting.insert(mention.to_string(), id);
                Some(id)
            }
            Some((id, false)) => {
                self.fragile.extend(keys.all);
                Some(id)
            }
            None if add => {
                let id = self
                    .add_keys(mention, keys.all)
                    .unwrap_or_else(|existing| existing);
                self.lasting.insert(mention.to_string(), id);
                Some(id)
            }
            None => None,
        }
    }

    /// The entity a mention names for good, if one does: as `resolve` would find it,
    /// under its whole name (`lasting`).
    pub fn lasting(&self, mention: &str) -> Option<usize> {
        match self.lasting.get(mention) {
            Some(id) => Some(*id),
            None => match self.find_keys(&Keys::of(mention)) {
                Some((id, true)) => Some(id),
                _ => None,
            },
        }
    }

    /// Whether an entity added under `mention`'s keys, by a fiche read before every
    /// other, would change what the other mentions name: one of its keys names an
    /// entity already, or was tried by a mention found under another key.
    pub fn would_take(&self, mention: &str) -> bool {
        (Keys::of(mention).all.iter())
            .any(|k| self.index.contains_key(k) || self.fragile.contains(k))
    }

    /// Whether a mention found under another key tried one of `mention`'s keys first: an
    /// entity made under them earlier would take it.
    pub fn tried(&self, mention: &str) -> bool {
        (Keys::of(mention).all.iter()).any(|k| self.fragile.contains(k))
    }

    /// The keys of a mention, to tell whether two new mentions would name one entity.
    pub fn keys_of(mention: &str) -> Vec<String> {
        Keys::of(mention).all
    }

    /// The name an entity was added under: the registry's, or the mention's that made it.
    pub fn name(&self, id: usize) -> &str {
        &self.names[id]
    }

    /// Forgets the entity `id`, which no mention names any more: its keys and the
    /// mentions that named it for good. Its id is not given to another; what it keeps
    /// (its name, the keys it made fragile) only makes a patch give way.
    pub fn forget(&mut self, id: usize) {
        for k in Keys::of(&self.names[id]).all {
            if self.index.get(&k) == Some(&id) {
                self.index.remove(&k);
            }
        }
        self.lasting.retain(|_, named| *named != id);
    }

    /// How this resolver, whose entities are told by `slug`, differs from `fresh`, told by
    /// `fresh_slug`, where a patch would go otherwise: a key or a lasting mention naming
    /// another entity (or none), an entity named otherwise, a key tried by `fresh` and
    /// not by this one. For the tests of the patches that keep an index up to date.
    pub fn differences<'a>(
        &self,
        slug: impl Fn(usize) -> &'a str,
        fresh: &Resolver,
        fresh_slug: impl Fn(usize) -> &'a str,
    ) -> Vec<String> {
        let mut found = Vec::new();
        // The slugs two ids name, for a key or a mention.
        let named = |a: Option<usize>, b: Option<usize>| (a.map(&slug), b.map(&fresh_slug));
        let keys =
            (self.index.keys()).chain(fresh.index.keys().filter(|k| !self.index.contains_key(*k)));
        for k in keys {
            let (a, b) = (self.index.get(k).copied(), fresh.index.get(k).copied());
            match (named(a, b), a.zip(b)) {
                ((x, y), _) if x != y => found.push(format!("key {k}: {x:?} instead of {y:?}")),
                (_, Some((a, b))) if self.names[a] != fresh.names[b] => found.push(format!(
                    "{} named {:?} instead of {:?}",
                    slug(a),
                    self.names[a],
                    fresh.names[b]
                )),
                _ => {}
            }
        }
        let mentions = (self.lasting.keys()).chain(
            fresh
                .lasting
                .keys()
                .filter(|m| !self.lasting.contains_key(*m)),
        );
        for mention in mentions {
            let (x, y) = named(self.lasting(mention), fresh.lasting(mention));
            if x != y {
                found.push(format!("mention {mention}: {x:?} instead of {y:?}"));
            }
        }
        found.extend(
            (fresh.fragile.iter())
                .filter(|k| !self.fragile.contains(*k))
                .map(|k| format!("key {k} not tried")),
        );
        found
    }

    /// The known name closest to an unknown mention.
    pub fn suggest(&self, mention: &str) -> Option<&str> {
        let (base, _) = split_acronym(mention);
        closest(base, self.names.iter().map(|n| split_acronym(n).0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acronyms_split_off() {
        assert_eq!(
            split_acronym("Coopérative de développement régional du Québec (CDRQ)"),
            (
                "Coopérative de développement régional du Québec",
                Some("CDRQ")
            )
        );
        assert_eq!(
            split_acronym("Réseau de coopération des EESAD (Réseau des EESAD)"),
            ("Réseau de coopération des EESAD", Some("Réseau des EESAD"))
        );
        assert_eq!(split_acronym("Coop Carbone"), ("Coop Carbone", None));
    }

    #[test]
    fn spellings_of_one_organisation_resolve_together() {
        let mut r = Resolver::default();
        let chantier = r.add("Chantier de l’économie sociale", &[]).unwrap();
        let cdrq = r
            .add("Coopérative de développement régional du Québec", &["CDRQ"])
            .unwrap();
        assert_eq!(r.find("Chantier de l'économie sociale"), Some(chantier));
        assert_eq!(r.find("CHANTIER DE L’ECONOMIE SOCIALE"), Some(chantier));
        assert_eq!(
            r.find("Coopérative de développement régional du Québec (CDRQ)"),
            Some(cdrq)
        );
        assert_eq!(r.find("CDRQ"), Some(cdrq));
        assert_eq!(r.find("Coop Carbone"), None);
        assert_eq!(
            r.suggest("Chantier de l’economie socile"),
            Some("Chantier de l’économie sociale")
        );
    }

    #[test]
    fn a_mention_found_by_its_acronym_may_later_name_another_entity() {
        let mut r = Resolver::default();
        let nord = r.resolve("Pôle de coopération Nord (PCN)", true).unwrap();
        assert_eq!(r.lasting("Pôle de coopération Nord (PCN)"), Some(nord));
        assert_eq!(r.resolve("Pôle CN (PCN)", true), Some(nord));
        assert_eq!(r.lasting("Pôle CN (PCN)"), None);
        // Its keys were tried: an entity added under one of them would take it.
        assert!(r.would_take("Pôle CN"));
        assert!(!r.would_take("Pôle Sud"));
        let cn = r.resolve("Pôle CN", true).unwrap();
        assert!(cn != nord);
        assert_eq!(r.find("Pôle CN (PCN)"), Some(cn));
        assert_eq!(r.resolve("Pôle CN (PCN)", true), Some(cn));
        assert_eq!(r.lasting("Pôle de coopération Nord (PCN)"), Some(nord));
    }

    #[test]
    fn a_registry_conflict_is_reported() {
        let mut r = Resolver::default();
        let first = r.add("Pôle CN", &[]).unwrap();
        assert_eq!(r.add("Pole CN", &[]), Err(first));
    }
}
