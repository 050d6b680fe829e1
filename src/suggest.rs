//! "Vouliez-vous dire … ?": the closest known name to a mistyped one.

use crate::text::fold;

/// The candidate closest to `word`, if it is close enough to be what the editor meant.
/// Comparison ignores case, accents and apostrophe style.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let w = fold(word);
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&w, &fold(c)), c))
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn suggests_the_nearest_key() {
        let keys = ["defis", "leviers", "chiffres", "force_distinctive"];
        assert_eq!(closest("defi", keys), Some("defis"));
        assert_eq!(closest("levier", keys), Some("leviers"));
        assert_eq!(closest("force_distinctif", keys), Some("force_distinctive"));
        assert_eq!(closest("zzz", keys), None);
    }

    #[test]
    fn ignores_accents_and_case() {
        let names = ["Chantier de l’économie sociale", "Coop Carbone"];
        assert_eq!(
            closest("chantier de l'economie socale", names),
            Some("Chantier de l’économie sociale")
        );
    }
}
