//! One organisation, or one issue, however it is written: typographic or straight
//! apostrophes, accents, case, an acronym in parentheses all fold to the same entity.

use rustc_hash::FxHashMap;

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
    /// none does.
    pub fn resolve(&mut self, mention: &str, add: bool) -> Option<usize> {
        if let Some(id) = self.lasting.get(mention) {
            return Some(*id);
        }
        let (id, lasting) = if add {
            self.find_or_add(mention)
        } else {
            self.find_keys(&Keys::of(mention))?
        };
        if lasting {
            self.lasting.insert(mention.to_string(), id);
        }
        Some(id)
    }

    /// The entity a mention names, added under the mention's keys if it is new; each key
    /// is made once. With it, whether the mention will always name that entity: so it
    /// does when found under its whole name, or added, since a key never changes entity;
    /// a mention found under its base or its acronym may not, once an entity is added
    /// under its whole name.
    pub fn find_or_add(&mut self, mention: &str) -> (usize, bool) {
        let keys = Keys::of(mention);
        match self.find_keys(&keys) {
            Some(found) => found,
            None => {
                let id = self
                    .add_keys(mention, keys.all)
                    .unwrap_or_else(|existing| existing);
                (id, true)
            }
        }
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
        let (nord, lasting) = r.find_or_add("Pôle de coopération Nord (PCN)");
        assert!(lasting);
        assert_eq!(r.find_or_add("Pôle CN (PCN)"), (nord, false));
        let (cn, lasting) = r.find_or_add("Pôle CN");
        assert!(lasting && cn != nord);
        assert_eq!(r.find("Pôle CN (PCN)"), Some(cn));
        assert_eq!(r.find_or_add("Pôle CN (PCN)"), (cn, false));
        assert_eq!(
            r.find_or_add("Pôle de coopération Nord (PCN)"),
            (nord, true)
        );
    }

    #[test]
    fn a_registry_conflict_is_reported() {
        let mut r = Resolver::default();
        let first = r.add("Pôle CN", &[]).unwrap();
        assert_eq!(r.add("Pole CN", &[]), Err(first));
    }
}
