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
/// named as Windows-1252 reads it, with how many more the file has. In a file saved in
/// Windows-1252, each such character is one byte, so the bytes are counted; a sequence
/// cut short at the end of the file (a file truncated, not saved in another encoding) is
/// not named.
fn not_utf8(path: std::path::PathBuf, bytes: &[u8]) -> Diagnostic {
    if is_utf16(bytes) {
        return Diagnostic::file_error(
            &path,
            "fichier enregistré en UTF-16 (« Unicode »), et non en UTF-8",
        )
        .with_hint("enregistrez-le en UTF-8 : dans le Bloc-notes, « Enregistrer sous », codage « UTF-8 » ; dans VS Code, « Enregistrer avec l’encodage », puis « UTF-8 »");
    }
    // Where the first bad byte is, and whether it starts a sequence the file's end cut
    // short (the bytes are not UTF-8: `read` checked).
    let (valid, cut_short) = std::str::from_utf8(bytes)
        .err()
        .map_or((bytes.len(), true), |e| {
            (e.valid_up_to(), e.error_len().is_none())
        });
    // Everything before the first bad byte is text. A byte order mark, which fiches
    // skip, is no column.
    let before = String::from_utf8_lossy(&bytes[..valid]);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line_text = &before[line_start..];
    let line_text = if line_start == 0 {
        line_text.trim_start_matches('\u{feff}')
    } else {
        line_text
    };
    let column = line_text.chars().count() + 1;
    let unreadable: usize = bytes.utf8_chunks().map(|c| c.invalid().len()).sum();
    let file = SourceFile {
        path,
        text: String::from_utf8_lossy(bytes).into_owned(),
    };
    let guess = (!cut_short).then(|| windows_1252(bytes[valid])).flatten();
    let first = if cut_short { bytes.len() - valid } else { 1 };
    let others = match unreadable.saturating_sub(first) {
        0 => String::new(),
        1 => " ; le fichier contient un autre caractère illisible plus loin".to_string(),
        n => format!(" ; le fichier contient {n} autres caractères illisibles plus loin"),
    };
    let mut diagnostic = file.error_at(
        line,
        column,
        "caractère illisible : le fichier n’est pas enregistré en UTF-8",
    );
    // The line quoted loses the mark too, so that the caret is under the character.
    if line == 1 {
        diagnostic.snippet =
            (diagnostic.snippet.take()).map(|l| l.trim_start_matches('\u{feff}').to_string());
    }
    // Accents elsewhere in the file that are UTF-8 already: the unreadable characters
    // were pasted in, and the file reopened in another encoding would spoil the others.
    let rest_is_utf8 = bytes.utf8_chunks().any(|c| !c.valid().is_ascii());
    let fix = match (guess, rest_is_utf8) {
        (Some(c), true) => format!(
            "ce caractère est sans doute un « {c} » enregistré en Windows-1252, alors que le reste du fichier est en UTF-8 : retapez-le à la main, sans rouvrir le fichier dans un autre codage"
        ),
        (None, true) => "le reste du fichier est en UTF-8 : retapez ce caractère à la main, sans rouvrir le fichier dans un autre codage".to_string(),
        (Some(c), false) => format!(
            "ce caractère est sans doute un « {c} » enregistré en Windows-1252 : rouvrez le fichier en Windows-1252 (dans VS Code : « Rouvrir avec l’encodage »), puis enregistrez-le en UTF-8"
        ),
        (None, false) => "rouvrez le fichier dans son codage d’origine (dans VS Code : « Rouvrir avec l’encodage »), puis enregistrez-le en UTF-8".to_string(),
    };
    diagnostic.with_width(1).with_hint(format!("{fix}{others}"))
}

/// Whether a file is UTF-16 (what Windows calls « Unicode »): it starts with its byte
/// order mark, or a quarter of its bytes are zeros, the other half of each Latin letter.
fn is_utf16(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xff, 0xfe])
        || bytes.starts_with(&[0xfe, 0xff])
        || bytes.iter().filter(|&&b| b == 0).count() * 4 > bytes.len()
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
        assert_eq!(
            d.hint.unwrap(),
            "ce caractère est sans doute un « è » enregistré en Windows-1252 : rouvrez le \
             fichier en Windows-1252 (dans VS Code : « Rouvrir avec l’encodage »), puis \
             enregistrez-le en UTF-8 ; le fichier contient un autre caractère illisible plus loin"
        );

        // A typographic apostrophe from a word processor, pasted into a file whose other
        // accents are UTF-8: to be retyped, the file not reopened in another encoding,
        // which would spoil them. Columns count characters.
        let bytes: Vec<u8> = "é: \"l".bytes().chain(*b"\x92an\"").collect();
        let d = read(&bytes).unwrap_err();
        assert_eq!((d.line, d.column), (1, 6));
        assert_eq!(
            d.hint.unwrap(),
            "ce caractère est sans doute un « ’ » enregistré en Windows-1252, alors que le \
             reste du fichier est en UTF-8 : retapez-le à la main, sans rouvrir le fichier \
             dans un autre codage"
        );

        // Windows-1252 bytes that UTF-8 reads as one broken sequence (`é` and a no-break
        // space) are two characters.
        let d = read(b"x: \"l\xe9t\xe9\xa0: oui\"").unwrap_err();
        assert_eq!((d.line, d.column), (1, 6));
        let hint = d.hint.unwrap();
        assert!(
            hint.starts_with("ce caractère est sans doute un « é »"),
            "{hint}"
        );
        assert!(
            hint.ends_with("le fichier contient 2 autres caractères illisibles plus loin"),
            "{hint}"
        );

        // A byte order mark is no column, and is not quoted; lines end in CRLF or LF.
        let d = read(b"\xef\xbb\xbfville: \"L\xe9vis\"\r\n").unwrap_err();
        assert_eq!((d.line, d.column), (1, 10));
        assert_eq!(d.snippet.as_deref(), Some("ville: \"L\u{fffd}vis\""));
        let d = read(b"\xef\xbb\xbfa: 1\r\nb: \"\xe9\"\r\n").unwrap_err();
        assert_eq!((d.line, d.column), (2, 5));

        // A UTF-8 sequence cut short at the end is one character, and no Windows-1252 one.
        let d = read(b"a\nb\nc: \xe2\x80").unwrap_err();
        assert_eq!((d.line, d.column), (3, 4));
        let hint = d.hint.unwrap();
        assert!(
            hint.starts_with("rouvrez le fichier dans son codage d’origine"),
            "{hint}"
        );
        assert!(!hint.contains("plus loin"), "{hint}");
    }

    #[test]
    fn a_utf16_file_is_told_as_such() {
        let with_mark = b"\xff\xfev\x00i\x00l\x00l\x00e\x00";
        let without = b"v\x00i\x00l\x00l\x00\xe9\x00";
        for bytes in [&with_mark[..], &without[..]] {
            let d = read(bytes).unwrap_err();
            assert_eq!(d.line, 0, "{bytes:?}");
            assert_eq!(
                d.message,
                "fichier enregistré en UTF-16 (« Unicode »), et non en UTF-8"
            );
            let hint = d.hint.unwrap();
            assert!(
                hint.starts_with("enregistrez-le en UTF-8 : dans le Bloc-notes"),
                "{hint}"
            );
        }
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
