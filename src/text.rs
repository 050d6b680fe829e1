//! Small pure functions on French text: folding for comparison, slugs, numbers, money,
//! dates and typography. Every page goes through these, so they are table-tested.

/// No-break space: thousands, units, before `:` and inside « ».
pub const NBSP: char = '\u{a0}';
/// Narrow no-break space: before `;`, `!` and `?`.
pub const NNBSP: char = '\u{202f}';

/// Lower case without accents, one apostrophe and one dash style, single spaces: two
/// spellings of one name fold to the same string.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.trim().chars() {
        // Most letters of a French name are plain ASCII, which only need lower case.
        if c.is_ascii_graphic() && c != '`' {
            out.push(c.to_ascii_lowercase());
            space = false;
            continue;
        }
        let mapped: &str = match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' | 'À' | 'Â' | 'Ä' | 'Á' | 'Ã' | 'Å' => {
                "a"
            }
            'ç' | 'Ç' => "c",
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => "e",
            'î' | 'ï' | 'í' | 'ì' | 'Î' | 'Ï' | 'Í' | 'Ì' => "i",
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' | 'Ô' | 'Ö' | 'Ó' | 'Ò' | 'Õ' => "o",
            'ù' | 'û' | 'ü' | 'ú' | 'Ù' | 'Û' | 'Ü' | 'Ú' => "u",
            'ÿ' | 'Ÿ' => "y",
            'ñ' | 'Ñ' => "n",
            'œ' | 'Œ' => "oe",
            'æ' | 'Æ' => "ae",
            '’' | '‘' | '`' | '´' | 'ʼ' => "'",
            '–' | '—' | '‑' | '‐' => "-",
            _ => "",
        };
        if !mapped.is_empty() {
            out.push_str(mapped);
            space = false;
        } else if c.is_whitespace() {
            if !space {
                out.push(' ');
                space = true;
            }
        } else {
            out.extend(c.to_lowercase());
            space = false;
        }
    }
    out
}

/// A URL path segment: ASCII lower case, words joined by `-`.
pub fn slugify(s: &str) -> String {
    let mut slug = String::with_capacity(s.len());
    for c in fold(s).chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// Whether a file name is already a slug (what `slugify` would keep as it is).
pub fn is_slug(s: &str) -> bool {
    !s.is_empty() && slugify(s) == s
}

/// `22840` → `22 840`, `2.5` → `2,5` (no-break space between groups, decimal comma).
pub fn format_number(value: f64) -> String {
    if !value.is_finite() {
        return String::new();
    }
    let negative = value < 0.0;
    let rounded = (value.abs() * 100.0).round() / 100.0;
    let int = rounded.trunc() as u64;
    let frac = ((rounded - rounded.trunc()) * 100.0).round() as u64;
    let digits = int.to_string();
    let mut out = String::new();
    if negative {
        out.push('−');
    }
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(NBSP);
        }
        out.push(d);
    }
    if frac > 0 {
        out.push(',');
        let f = format!("{frac:02}");
        out.push_str(f.trim_end_matches('0'));
    }
    out
}

/// A headline figure with its unit, as Québec writes it: `2,6 G$`, `15 %`, `22 840`.
pub fn format_figure(value: f64, unit: Option<&str>) -> String {
    match unit {
        Some("$") => format_money(value),
        Some(u) => format!("{}{NBSP}{u}", format_number(value)),
        None => format_number(value),
    }
}

/// Dollars: `2600000000` → `2,6 G$`, `1500000` → `1,5 M$`, `22840` → `22 840 $`.
pub fn format_money(value: f64) -> String {
    let abs = value.abs();
    let (scaled, suffix) = if abs >= 1e9 {
        (value / 1e9, "G$")
    } else if abs >= 1e6 {
        (value / 1e6, "M$")
    } else {
        (value, "$")
    };
    let shown = if suffix == "$" {
        scaled
    } else {
        (scaled * 10.0).round() / 10.0
    };
    format!("{}{NBSP}{suffix}", format_number(shown))
}

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// A calendar date as written in the content (`AAAA-MM-JJ`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Parses `2025-03-25`; `None` for anything else, including impossible days.
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let mut parts = s.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let year: u16 = y.parse().ok()?;
        let month: u8 = m.parse().ok()?;
        let day: u8 = d.parse().ok()?;
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// `2025-03-25` → `25 mars 2025`; the first of the month is `1er`.
    pub fn french(&self) -> String {
        let month = MONTHS[usize::from(self.month - 1)];
        if self.day == 1 {
            format!("1er{NBSP}{month} {}", self.year)
        } else {
            format!("{}{NBSP}{month} {}", self.day, self.year)
        }
    }

    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The bytes at which `typography`'s scan stops to look: those it may change, the
/// period and 0xC2 that it changes only before other bytes, and the digits, which a
/// space that it may change follows.
static LOOK_CLOSER: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = b'0';
    while b <= b'9' {
        table[b as usize] = true;
        b += 1;
    }
    let others = [b'\'', b':', b';', b'!', b'?', b'.', 0xC2];
    let mut k = 0;
    while k < others.len() {
        table[others[k] as usize] = true;
        k += 1;
    }
    table
};

/// French typography on plain text: typographic apostrophes, no-break spaces inside « »
/// and before `:`, narrow ones before `;` `!` `?`, grouped numbers and units kept with
/// their number. Idempotent, and leaves URLs and e-mail addresses alone.
pub fn typography(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < bytes.len() {
        // Most of a text needs nothing: it is copied a run at a time, up to the next
        // character that may change: an apostrophe, `:` `;` `!` `?`, `«` and `»` (0xC2
        // then 0xAB or 0xBB), the first of three periods, a space after a digit. A lone
        // period, the end of most sentences, and the rest of the 0xC2 row (a no-break
        // space) are copied with their run. The scan looks closer only at the bytes of
        // `LOOK_CLOSER`, digits rather than spaces, which are many more.
        let rest = &bytes[i..];
        let mut k = 0;
        let run = loop {
            while k < rest.len() && !LOOK_CLOSER[usize::from(rest[k])] {
                k += 1;
            }
            match rest.get(k) {
                None => break k,
                Some(b'.') if !rest[k + 1..].starts_with(b"..") => k += 1,
                Some(0xC2) if !matches!(rest.get(k + 1), Some(0xAB | 0xBB)) => k += 1,
                Some(b'0'..=b'9') if rest.get(k + 1) == Some(&b' ') => break k + 1,
                Some(b'0'..=b'9') => k += 1,
                Some(_) => break k,
            }
        };
        out.push_str(&text[i..i + run]);
        i += run;
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        let after = &text[i + c.len_utf8()..];
        let prev = out.chars().last();
        let next = after.chars().next();
        i += c.len_utf8();
        match c {
            '\'' if prev.is_some_and(char::is_alphabetic) => out.push('’'),
            '.' if after.starts_with("..") => {
                out.push('…');
                i += 2;
            }
            '«' => {
                out.push('«');
                out.push(NBSP);
                let rest = after.trim_start();
                i += after.len() - rest.len();
            }
            '»' | ':' | ';' | '!' | '?' => {
                let wants_space = match c {
                    '»' => true,
                    ':' => next.is_none_or(char::is_whitespace) && prev.is_some(),
                    _ => next.is_none_or(|n| n.is_whitespace() || n == '»') && prev.is_some(),
                };
                if wants_space && !starts_url(&out) {
                    let space = if matches!(c, '»' | ':') { NBSP } else { NNBSP };
                    while out.ends_with(|ch: char| ch.is_whitespace()) {
                        out.pop();
                    }
                    if !out.is_empty() && !matches!(out.chars().last(), Some('(' | '[')) {
                        out.push(space);
                    }
                }
                out.push(c);
            }
            ' ' if prev.is_some_and(|p| p.is_ascii_digit()) => {
                // Group separator (`22 840`) or unit (`15 %`, `2,6 G$`, `10 $`).
                let rest: String = after.chars().take(4).collect();
                let group = rest.len() >= 3
                    && rest.chars().take(3).all(|d| d.is_ascii_digit())
                    && !rest.chars().nth(3).is_some_and(|d| d.is_ascii_digit());
                let unit = matches!(next, Some('%' | '$'))
                    || (matches!(next, Some('M' | 'G' | 'k')) && after[1..].starts_with('$'));
                out.push(if group || unit { NBSP } else { ' ' });
            }
            _ => out.push(c),
        }
    }
    out
}

/// Whether `typography` and HTML escaping leave `text` as it is: it has none of the
/// characters either changes or looks at. Most names are so, and are then used as
/// they are.
pub fn is_plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    !bytes.iter().enumerate().any(|(k, &b)| match b {
        b'\'' | b'.' | b':' | b';' | b'!' | b'?' | 0xC2 | b'&' | b'<' | b'>' | b'"' => true,
        b' ' => k > 0 && bytes[k - 1].is_ascii_digit(),
        _ => false,
    })
}

/// Whether the text just written ends inside a URL-like token (`https`, `mailto`), so a
/// `:` there is not punctuation.
fn starts_url(out: &str) -> bool {
    // The last run of ASCII letters and digits (bytes that are never part of another
    // character), a word of its own: not the end of « hôtel ».
    let bytes = out.as_bytes();
    let start = (bytes.iter())
        .rposition(|c| !c.is_ascii_alphanumeric())
        .map_or(0, |k| k + 1);
    let word = &out[start..];
    matches!(word, "http" | "https" | "mailto" | "tel" | "ftp")
        && !out[..start].ends_with(char::is_alphabetic)
}

/// Escape for HTML text and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_runs(s, |part| out.push_str(part));
    out
}

/// [`escape_html`] written to `out`: the templates' escaping (`Tera::set_escape_fn`).
pub fn write_escaped(s: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut written = Ok(());
    escape_runs(s, |part| {
        if written.is_ok() {
            written = out.write_all(part.as_bytes());
        }
    });
    written
}

/// `s` in pieces, escaped: each run of characters kept as they are, then an entity.
fn escape_runs<'a>(s: &'a str, mut put: impl FnMut(&'a str)) {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        put(&s[start..i]);
        put(entity);
        start = i + 1;
    }
    put(&s[start..]);
}

#[cfg(test)]
mod tests {
    #[test]
    fn plain_text_is_left_as_it_is_by_typography_and_escaping() {
        let texts = [
            "Table de concertation agroalimentaire de Lanaudière",
            "Caisse Desjardins de Île-Ulric-des-Monts",
            "Cégep — bureau de Lévis",
            "Pôle CN (PÔLE CN)",
            "22 840 emplois",
            "l'économie sociale",
            "Coop : mode d'emploi",
            "« Ensemble »",
            "A&W <b>",
            "Voir...",
            "2 %",
            "Quoi ?",
            "",
        ];
        for t in texts {
            let changed = escape_html(&typography(t)) != t;
            if is_plain(t) {
                assert!(!changed, "{t:?} is plain but changed");
            }
        }
        assert!(is_plain(
            "Table de concertation agroalimentaire de Lanaudière"
        ));
        assert!(is_plain("Pôle CN (PÔLE CN)"));
        assert!(!is_plain("22 840 emplois"));
        assert!(!is_plain("l'économie sociale"));
        assert!(!is_plain("« Ensemble »"));
        assert!(!is_plain("A&W"));
    }

    use super::*;

    #[test]
    fn template_escaping_gives_tera_s_own_entities() {
        for text in [
            "",
            "plain",
            "L'été « chaud » & <b>\"gras\"</b> > 3 €",
            "&&''\"\"<<>>",
            "fin &",
        ] {
            let mut ours = Vec::new();
            write_escaped(text, &mut ours).unwrap();
            let mut tera_s = Vec::new();
            tera::escape_html(text, &mut tera_s).unwrap();
            assert_eq!(ours, tera_s, "{text}");
            assert_eq!(escape_html(text).as_bytes(), tera_s.as_slice());
        }
        // Each character to escape at every place of a text, among accented letters.
        let base: Vec<char> = "Économie sociale à Lévis — Québec "
            .repeat(2)
            .chars()
            .collect();
        for special in ['&', '<', '>', '"', '\''] {
            for at in 0..=base.len() {
                let mut chars = base.clone();
                chars.insert(at, special);
                let text: String = chars.into_iter().collect();
                let mut tera_s = Vec::new();
                tera::escape_html(&text, &mut tera_s).unwrap();
                assert_eq!(escape_html(&text).as_bytes(), tera_s.as_slice(), "{text}");
            }
        }
    }

    fn visible(s: &str) -> String {
        s.replace(NBSP, "␣").replace(NNBSP, "⍽")
    }

    #[test]
    fn slugs() {
        let cases = [
            ("Saint-Jean-sur-Richelieu", "saint-jean-sur-richelieu"),
            ("Lévis", "levis"),
            ("L'Érable", "l-erable"),
            ("L’Érable", "l-erable"),
            ("Québec", "quebec"),
            ("Montréal", "montreal"),
            (
                "Chantier de l’économie sociale",
                "chantier-de-l-economie-sociale",
            ),
            ("Coopérative Maître d’œuvre", "cooperative-maitre-d-oeuvre"),
            ("  Pôle CN ", "pole-cn"),
            ("Votepour.ca", "votepour-ca"),
            ("", ""),
        ];
        for (input, slug) in cases {
            assert_eq!(slugify(input), slug, "slug of {input:?}");
        }
        assert!(is_slug("saint-jean-sur-richelieu"));
        assert!(!is_slug("Québec"));
        assert!(!is_slug("quebec-"));
    }

    #[test]
    fn folding_unifies_spellings() {
        assert_eq!(
            fold("Chantier de l’économie sociale"),
            fold("Chantier de l'economie  Sociale")
        );
        assert_eq!(fold("Maître d’Œuvre"), "maitre d'oeuvre");
    }

    #[test]
    fn numbers() {
        let cases = [
            (0.0, "0"),
            (7.0, "7"),
            (999.0, "999"),
            (1000.0, "1␣000"),
            (1103.0, "1␣103"),
            (22840.0, "22␣840"),
            (1234567.0, "1␣234␣567"),
            (2.5, "2,5"),
            (10.25, "10,25"),
            (-1500.0, "−1␣500"),
        ];
        for (value, text) in cases {
            assert_eq!(visible(&format_number(value)), text, "number {value}");
        }
    }

    #[test]
    fn figures_with_units() {
        let cases = [
            (2_600_000_000.0, Some("$"), "2,6␣G$"),
            (1_000_000_000.0, Some("$"), "1␣G$"),
            (1_500_000.0, Some("$"), "1,5␣M$"),
            (22_840.0, Some("$"), "22␣840␣$"),
            (0.0, Some("$"), "0␣$"),
            (15.0, Some("%"), "15␣%"),
            (10.5, Some("%"), "10,5␣%"),
            (22_840.0, None, "22␣840"),
        ];
        for (value, unit, text) in cases {
            assert_eq!(
                visible(&format_figure(value, unit)),
                text,
                "{value} {unit:?}"
            );
        }
    }

    #[test]
    fn dates() {
        let cases = [
            ("2025-03-25", Some("25␣mars 2025")),
            ("2024-02-29", Some("29␣février 2024")),
            ("2025-08-01", Some("1er␣août 2025")),
            ("2025-12-31", Some("31␣décembre 2025")),
            ("2023-02-29", None),
            ("2025-13-01", None),
            ("25/03/2025", None),
            ("2025-3-25", None),
        ];
        for (input, french) in cases {
            let got = Date::parse(input).map(|d| visible(&d.french()));
            assert_eq!(got.as_deref(), french, "date {input}");
        }
    }

    #[test]
    fn french_typography() {
        let cases = [
            ("l'économie sociale", "l’économie sociale"),
            ("« Virage numérique »", "«␣Virage numérique␣»"),
            ("«Virage numérique»", "«␣Virage numérique␣»"),
            ("deux priorités: le soutien", "deux priorités␣: le soutien"),
            ("Courriel : a@b.ca", "Courriel␣: a@b.ca"),
            ("Vraiment ? Oui !", "Vraiment⍽? Oui⍽!"),
            ("a; b", "a⍽; b"),
            ("22 840 emplois", "22␣840 emplois"),
            ("15 % des entreprises", "15␣% des entreprises"),
            ("2,6 G$ en revenus", "2,6␣G$ en revenus"),
            (
                "voir https://polecn.org/ ici",
                "voir https://polecn.org/ ici",
            ),
            ("en 2019 et 2023", "en 2019 et 2023"),
            ("Attendez...", "Attendez…"),
            ("mailto: a@b.ca", "mailto: a@b.ca"),
            ("écrire à mailto: a@b.ca", "écrire à mailto: a@b.ca"),
            ("Québec: oui", "Québec␣: oui"),
            ("Écrivez-nous: ici", "Écrivez-nous␣: ici"),
            ("un hôtel: ici", "un hôtel␣: ici"),
            // Copied with their run: a lone period, a no-break space, a degree sign.
            ("Fin. L'été. Puis: l'hiver.", "Fin. L’été. Puis␣: l’hiver."),
            ("Attendez.... a..b", "Attendez…. a..b"),
            ("prix\u{a0}: 10 $", "prix␣: 10␣$"),
            ("20\u{b0}C l'hiver ; 3.5 % ?", "20\u{b0}C l’hiver⍽; 3.5␣%⍽?"),
            (
                "1 000 000 $ en 2024 : oui, 7",
                "1␣000␣000␣$ en 2024␣: oui, 7",
            ),
        ];
        for (input, expected) in cases {
            let once = typography(input);
            assert_eq!(visible(&once), expected, "typography of {input:?}");
            assert_eq!(typography(&once), once, "idempotent on {input:?}");
        }
    }
}
