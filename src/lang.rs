//! The language of the messages an editor reads. French is the default and the language in
//! which every message is written; `--lang en` translates, at display time, the headline
//! words, the summary line and the most common messages through the catalogue below. A
//! message the catalogue does not know is shown in French, and so is the quoted line of
//! the file (it is the editor's own text).

use std::borrow::Cow;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Lang {
    /// `fr` or `en`.
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "fr" | "fr-ca" | "francais" | "français" => Some(Lang::Fr),
            "en" | "en-ca" | "english" | "anglais" => Some(Lang::En),
            _ => None,
        }
    }

    /// A word of the interface: `erreur`, `avertissement`, `aide`.
    pub fn word(self, french: &'static str) -> &'static str {
        if self == Lang::Fr {
            return french;
        }
        match french {
            "erreur" => "error",
            "erreurs" => "errors",
            "avertissement" => "warning",
            "avertissements" => "warnings",
            "aide" => "help",
            "fichier" => "file",
            "fichiers" => "files",
            "et" => "and",
            "dans" => "in",
            other => other,
        }
    }

    /// A message or hint, translated when the catalogue knows it.
    pub fn text<'a>(self, french: &'a str) -> Cow<'a, str> {
        if self == Lang::Fr {
            return Cow::Borrowed(french);
        }
        for (fr, en) in CATALOGUE {
            if let Some(holes) = fill(fr, french) {
                let mut out = String::new();
                let mut holes = holes.into_iter();
                for (i, piece) in en.split("{}").enumerate() {
                    if i > 0 {
                        out.push_str(&kind(holes.next().unwrap_or_default()));
                    }
                    out.push_str(piece);
                }
                return Cow::Owned(out);
            }
        }
        Cow::Borrowed(french)
    }
}

/// French messages with `{}` holes, and their English. The holes are filled in order.
const CATALOGUE: &[(&str, &str)] = &[
    ("champ inconnu `{}`", "unknown field `{}`"),
    ("vouliez-vous dire `{}` ?", "did you mean `{}`?"),
    ("champs permis ici : {}", "fields allowed here: {}"),
    ("valeurs permises : {}", "allowed values: {}"),
    (
        "champ obligatoire `{}` manquant",
        "missing required field `{}`",
    ),
    (
        "ajoutez une ligne `{}: …` dans le bloc qui se termine ici, au même niveau que les autres champs",
        "add a line `{}: …` in the block that ends here, at the same level as the other fields",
    ),
    // Each participle agrees with its kind ("une liste attendue", "un texte attendu").
    (
        "type invalide : {} trouvé, {} attendu",
        "invalid type: found {}, expected {}",
    ),
    (
        "type invalide : {} trouvé, {} attendue",
        "invalid type: found {}, expected {}",
    ),
    (
        "type invalide : {} trouvée, {} attendu",
        "invalid type: found {}, expected {}",
    ),
    (
        "type invalide : {} trouvée, {} attendue",
        "invalid type: found {}, expected {}",
    ),
    ("type invalide : {} attendu", "invalid type: expected {}"),
    ("type invalide : {} attendue", "invalid type: expected {}"),
    ("valeur invalide : {} attendu", "invalid value: expected {}"),
    (
        "valeur invalide : {} attendue",
        "invalid value: expected {}",
    ),
    ("valeur inconnue `{}`", "unknown value `{}`"),
    ("valeur vide", "empty value"),
    ("champ `{}` écrit deux fois", "field `{}` written twice"),
    (
        "gardez une seule ligne pour ce champ",
        "keep one line for this field",
    ),
    ("indentation incorrecte", "wrong indentation"),
    (
        "alignez ce champ avec les autres champs du même niveau (espaces, pas de tabulations)",
        "align this field with the other fields of the same level (spaces, not tabs)",
    ),
    ("syntaxe YAML invalide", "invalid YAML syntax"),
    (
        "écrivez un nombre entier, sans espace ni unité (ex. `2023`)",
        "write a whole number, without spaces or unit (e.g. `2023`)",
    ),
    (
        "écrivez une liste, un élément par ligne, chacun précédé de `- `",
        "write a list, one item per line, each after `- `",
    ),
    (
        "écrivez les champs en dessous, en retrait de deux espaces",
        "write the fields below, indented by two spaces",
    ),
    ("mettez le texte entre guillemets", "put the text in quotes"),
    (
        "chiffre sans source : « {} »",
        "figure without a source: “{}”",
    ),
    (
        "chiffre sans année de source : « {} »",
        "figure without the year of its source: “{}”",
    ),
    ("organisme inconnu « {} »", "unknown organisation “{}”"),
    ("enjeu inconnu « {} »", "unknown issue “{}”"),
    (
        "adresse courriel invalide « {} »",
        "invalid e-mail address “{}”",
    ),
    ("adresse web invalide « {} »", "invalid web address “{}”"),
    ("date invalide « {} »", "invalid date “{}”"),
    (
        "organismes presque identiques : « {} » et « {} » ({})",
        "nearly identical organisations: “{}” and “{}” ({})",
    ),
    (
        "s’il s’agit du même organisme, écrivez son nom de la même façon partout ; sinon, ou pour garder les deux graphies, créez `content/organismes.yaml` avec l’une dans `alias`",
        "if it is the same organisation, write its name the same way everywhere; otherwise, or to keep both spellings, create `content/organismes.yaml` with one of them in `alias`",
    ),
    (
        "chiffre ancien : « {} » vient d’une source de {}, plus de {} ans avant {}",
        "old figure: “{}” comes from a source of {}, more than {} years before {}",
    ),
    (
        "cherchez une source plus récente et mettez à jour `valeur`, `source` et `annee` ; sinon, le chiffre reste affiché avec son année",
        "look for a more recent source and update `valeur`, `source` and `annee`; otherwise the figure stays shown with its year",
    ),
    (
        "fiche non mise à jour depuis plus de {} ans (le {}, référence : {})",
        "fiche not updated for more than {} years (on {}, reference: {})",
    ),
    (
        "relisez la fiche, corrigez ce qui a changé, puis mettez `mise_a_jour` à la date du jour",
        "read the fiche again, correct what has changed, then set `mise_a_jour` to today's date",
    ),
    (
        "lien interne brisé vers `{}` (page {})",
        "broken internal link to `{}` (page {})",
    ),
    (
        "cette page n’existe plus : aucune fiche ne nomme plus cet organisme ; nommez-le de nouveau, ou retirez le lien",
        "this page no longer exists: no fiche names this organisation any more; name it again, or remove the link",
    ),
    (
        "cette page n’existe plus : aucune fiche ne nomme plus cet enjeu ; nommez-le de nouveau, ou retirez le lien",
        "this page no longer exists: no fiche names this issue any more; name it again, or remove the link",
    ),
    (
        "cette page n’existe plus : sa fiche a été supprimée, ou renommée ; rétablissez-la, ou corrigez ou retirez le lien",
        "this page no longer exists: its fiche was deleted or renamed; restore it, or correct or remove the link",
    ),
    (
        "cette page n’existe plus : retirez le lien, ou rétablissez ce qui la faisait",
        "this page no longer exists: remove the link, or restore what made it",
    ),
    (
        "cette page n’existe pas : vérifiez l’adresse (ex. `/villes/quebec/`), ou retirez le lien",
        "this page does not exist: check the address (e.g. `/villes/quebec/`), or remove the link",
    ),
    (
        "le lien vient d’un gabarit : corrigez le gabarit ou la donnée qu’il affiche",
        "the link comes from a template: correct the template or the data it shows",
    ),
];

/// The kinds of value named inside messages.
fn kind(french: &str) -> Cow<'_, str> {
    Cow::Borrowed(match french {
        "un texte" => "a text",
        "une liste" => "a list",
        "un groupe de champs" => "a group of fields",
        "un nombre entier" => "a whole number",
        "un nombre" => "a number",
        "une valeur vide" => "an empty value",
        "vrai ou faux (`true`/`false`)" => "true or false",
        other => return Cow::Borrowed(other),
    })
}

/// The text in each `{}` of `template` if `text` has its shape.
fn fill<'a>(template: &str, text: &'a str) -> Option<Vec<&'a str>> {
    let pieces: Vec<&str> = template.split("{}").collect();
    let mut rest = text.strip_prefix(pieces[0])?;
    if pieces.len() == 1 {
        return rest.is_empty().then(Vec::new);
    }
    let mut holes = Vec::new();
    for (i, piece) in pieces.iter().enumerate().skip(1) {
        let last = i == pieces.len() - 1;
        let at = if last {
            rest.strip_suffix(piece).map(str::len)?
        } else if piece.is_empty() {
            return None;
        } else {
            rest.find(piece)?
        };
        holes.push(&rest[..at]);
        rest = &rest[at + piece.len()..];
    }
    rest.is_empty().then_some(holes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue() {
        for (fr, en) in [
            ("champ inconnu `defi`", "unknown field `defi`"),
            ("vouliez-vous dire `defis` ?", "did you mean `defis`?"),
            (
                "type invalide : un texte trouvé, une liste attendue",
                "invalid type: found a text, expected a list",
            ),
            (
                "type invalide : une liste trouvée, un texte attendu",
                "invalid type: found a list, expected a text",
            ),
            (
                "valeur invalide : une valeur vide attendue",
                "invalid value: expected an empty value",
            ),
            ("indentation incorrecte", "wrong indentation"),
            ("un message rare", "un message rare"),
        ] {
            assert_eq!(Lang::En.text(fr), en);
            assert_eq!(Lang::Fr.text(fr), fr);
        }
    }
}
