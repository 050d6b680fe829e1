//! A content file read as text. Its bytes are checked for UTF-8 at once, 32 at a time
//! (`simdutf8`): a province's 60 MB of fiches are mostly accented French, on which the
//! standard check, fast on plain ASCII, was a tenth of the reading. A file saved in
//! another encoding (Windows-1252, as older editors and spreadsheets save) is an error
//! located at its first unreadable character, which it names.

use std::path::Path;

use crate::diagnostic::{Diagnostic, SourceFile};

impl SourceFile {
    /// Reads `rel`, relative to `root`, where the editor knows it: the file, or the
    /// error an editor reads when it is not UTF-8; `Err` when it cannot be read at all,
    /// which each caller words for its file.
    pub fn read(root: &Path, rel: &Path) -> std::io::Result<Result<SourceFile, Diagnostic>> {
        let bytes = std::fs::read(root.join(rel))?;
        let path = rel.to_path_buf();
        Ok(if simdutf8::basic::from_utf8(&bytes).is_ok() {
            // SAFETY: the bytes were just checked to be UTF-8.
            let text = unsafe { String::from_utf8_unchecked(bytes) };
            Ok(SourceFile { path, text })
        } else {
            Err(not_utf8(path, &bytes))
        })
    }
}

/// The error for a file that is not UTF-8: located at its first unreadable character,
/// named in Windows-1252 when it is one byte there, with how many more the file has.
fn not_utf8(path: std::path::PathBuf, bytes: &[u8]) -> Diagnostic {
    let valid = std::str::from_utf8(bytes).map_or_else(|e| e.valid_up_to(), |s| s.len());
    // Everything before the first bad byte is text.
    let before = String::from_utf8_lossy(&bytes[..valid]);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    let mut bad = bytes.utf8_chunks().filter(|c| !c.invalid().is_empty());
    let first = bad.next().map(|c| c.invalid()).unwrap_or_default();
    let more = bad.count();
    let file = SourceFile {
        path,
        text: String::from_utf8_lossy(bytes).into_owned(),
    };
    let guess = match first {
        [b] => windows_1252(*b).map(|c| {
            format!("l’octet 0x{b:02X} est sans doute un « {c} » enregistré en Windows-1252 (Latin-1) : ")
        }),
        _ => None,
    };
    let others = match more {
        0 => String::new(),
        1 => " ; un autre caractère plus loin est dans ce cas".to_string(),
        n => format!(" ; {n} autres caractères plus loin sont dans ce cas"),
    };
    file.error_at(
        line,
        column,
        "caractère illisible : le fichier n’est pas enregistré en UTF-8",
    )
    .with_width(1)
    .with_hint(format!(
        "{}enregistrez le fichier en UTF-8 (dans l’éditeur : « Enregistrer sous », codage « UTF-8 »){others}",
        guess.unwrap_or_default()
    ))
}

/// The character a byte stands for in Windows-1252, the encoding Windows gives French
/// text when it is not told UTF-8 (Latin-1, but for typographic quotes, dashes, `œ` and
/// `€` in 0x80–0x9F); `None` for a byte it leaves undefined, or a space.
fn windows_1252(b: u8) -> Option<char> {
    const HIGH_CONTROLS: [char; 32] = [
        '€', '\0', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\0', 'Ž', '\0', '\0',
        '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\0', 'ž', 'Ÿ',
    ];
    let c = match b {
        0x80..=0x9f => HIGH_CONTROLS[usize::from(b - 0x80)],
        0xa1..=0xff => char::from(b),
        _ => '\0',
    };
    (c != '\0').then_some(c)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::windows_1252;
    use crate::diagnostic::SourceFile;

    fn read(bytes: &[u8]) -> Result<SourceFile, crate::diagnostic::Diagnostic> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("f.yaml"), bytes).unwrap();
        SourceFile::read(dir.path(), Path::new("f.yaml")).unwrap()
    }

    #[test]
    fn utf8_text_is_read_as_it_is() {
        let text = "ville: \"Lévis\"\n# « Économie sociale » — œuvre ✓ 😀\n";
        assert_eq!(read(text.as_bytes()).unwrap().text, text);
        assert_eq!(read(b"").unwrap().text, "");
    }

    #[test]
    fn the_first_unreadable_character_is_located_and_named() {
        let d = read(b"ville: \"Levis\"\nregion: \"Chaudi\xe8re\" # l\xe0\n").unwrap_err();
        assert_eq!((d.line, d.column), (2, 16));
        assert_eq!(
            d.snippet.as_deref(),
            Some("region: \"Chaudi\u{fffd}re\" # l\u{fffd}")
        );
        let hint = d.hint.unwrap();
        assert!(
            hint.starts_with("l’octet 0xE8 est sans doute un « è »"),
            "{hint}"
        );
        assert!(
            hint.ends_with("; un autre caractère plus loin est dans ce cas"),
            "{hint}"
        );

        // A typographic apostrophe from a word processor; columns count characters.
        let d = read(
            "é: \"l"
                .bytes()
                .chain(*b"\x92an\"")
                .collect::<Vec<_>>()
                .as_slice(),
        )
        .unwrap_err();
        assert_eq!((d.line, d.column), (1, 6));
        assert!(
            d.hint
                .unwrap()
                .starts_with("l’octet 0x92 est sans doute un « ’ »")
        );

        // A truncated UTF-8 sequence is no Windows-1252 character.
        let d = read(b"a\nb\nc: \xe2\x80").unwrap_err();
        assert_eq!((d.line, d.column), (3, 4));
        let hint = d.hint.unwrap();
        assert!(
            hint.starts_with("enregistrez le fichier en UTF-8"),
            "{hint}"
        );
        assert!(!hint.contains("plus loin"), "{hint}");
    }

    #[test]
    fn windows_1252_names_its_printable_characters_only() {
        assert_eq!(windows_1252(0xe9), Some('é'));
        assert_eq!(windows_1252(0x9c), Some('œ'));
        assert_eq!(windows_1252(0x80), Some('€'));
        assert_eq!(windows_1252(0x81), None);
        assert_eq!(windows_1252(0xa0), None);
        assert_eq!(windows_1252(b'a'), None);
    }
}
