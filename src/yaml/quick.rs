//! A quick reader for the plain YAML that fiches are written in: block mappings and lists,
//! one-line quoted or plain values, `|` literal blocks, comments, empty `[]` and `{}`.
//!
//! It only ever answers for a file it reads completely and that its target type accepts.
//! Anything else — a flow list, an anchor, a tag, a folded or multi-line value, a tab, a
//! doubled key, a plain value whose type depends on its reader, a value serde refuses —
//! makes it give up, and the full parser (serde-saphyr) reads the file again and explains
//! any mistake. Where it answers, it answers what the full parser does, positions included:
//! `tests` below compare the two on every shape it accepts. A well-formed fiche is read
//! several times faster this way, which is a tenth of a cold build of a large site.

use std::borrow::Cow;

use serde::de::value::{MapDeserializer, StrDeserializer, UnitDeserializer};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};

/// `text` read as a `T`, or `None` when the full parser must read it.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    let node = Reader::new(text)?.document()?;
    if nodes(&node) > MAX_NODES {
        return None;
    }
    T::deserialize(Value(&node)).ok()
}

/// 1-based line and column, as the full parser counts them. Every accepted line has only
/// ASCII before the value it holds, so a byte offset there is a column.
#[derive(Clone, Copy)]
struct Pos {
    line: usize,
    column: usize,
}

enum Node<'a> {
    /// Nothing after the colon, and nothing nested below.
    Null(Pos),
    /// `plain`: written without quotes, so its type is the reader's to decide.
    Scalar {
        text: Cow<'a, str>,
        plain: bool,
        at: Pos,
    },
    List(Vec<Node<'a>>, Pos),
    /// A mapping is placed at its first key, as the full parser places it.
    Map(Vec<(&'a str, Node<'a>)>, Pos),
}

impl Node<'_> {
    fn at(&self) -> Pos {
        match self {
            Node::Null(at) | Node::Scalar { at, .. } | Node::List(_, at) | Node::Map(_, at) => *at,
        }
    }
}

/// One line: the spaces it starts with, and the rest.
#[derive(Clone, Copy)]
struct Line<'a> {
    indent: usize,
    text: &'a str,
}

struct Reader<'a> {
    lines: Vec<Line<'a>>,
    next: usize,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Option<Self> {
        if text.len() > MAX_TEXT || !plain_characters(text.as_bytes()) {
            return None;
        }
        let lines = text
            .split('\n')
            .map(|l| {
                let text = l.trim_start_matches(' ');
                Line {
                    indent: l.len() - text.len(),
                    text,
                }
            })
            .collect();
        Some(Reader { lines, next: 0 })
    }

    /// The next line that holds something, blank lines and comments passed over.
    fn skip(&mut self) -> Option<Line<'a>> {
        while let Some(l) = self.lines.get(self.next) {
            if !l.text.is_empty() && !l.text.starts_with('#') {
                return Some(*l);
            }
            self.next += 1;
        }
        None
    }

    fn document(mut self) -> Option<Node<'a>> {
        let first = self.skip()?;
        if first.indent == 0 && first.text == "---" {
            self.next += 1;
        }
        let first = self.skip()?;
        let node = self.node(first.indent)?;
        // Whatever is left must be blank: anything else is a second document or a mistake.
        match self.skip() {
            Some(_) => None,
            None => Some(node),
        }
    }

    /// The block that starts on the current line, at `indent`.
    fn node(&mut self, indent: usize) -> Option<Node<'a>> {
        match self.lines.get(self.next) {
            Some(l) if is_dash(l.text) => self.list(indent),
            Some(_) => self.map(indent),
            None => None,
        }
    }

    fn map(&mut self, indent: usize) -> Option<Node<'a>> {
        let mut entries: Vec<(&'a str, Node<'a>)> = Vec::new();
        let mut at = None;
        while let Some(line) = self.skip() {
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let (key, rest) = split_key(line.text)?;
            if entries.iter().any(|(k, _)| *k == key) {
                return None;
            }
            let number = self.next + 1;
            at.get_or_insert(Pos {
                line: number,
                column: indent + 1,
            });
            self.next += 1;
            let value_at = Pos {
                line: number,
                column: indent + line.text.len() - rest.len() + 1,
            };
            let value = self.value(indent, rest, value_at, true)?;
            entries.push((key, value));
        }
        Some(Node::Map(entries, at?))
    }

    fn list(&mut self, indent: usize) -> Option<Node<'a>> {
        let mut items = Vec::new();
        let mut at = None;
        while let Some(line) = self.skip() {
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return None;
            }
            if !is_dash(line.text) {
                // A key at the list's own indent: the mapping that holds the list goes on.
                break;
            }
            let number = self.next + 1;
            at.get_or_insert(Pos {
                line: number,
                column: indent + 1,
            });
            let rest = line.text[1..].trim_start_matches(' ');
            let column = indent + line.text.len() - rest.len();
            let item_at = Pos {
                line: number,
                column: column + 1,
            };
            let item = if rest.is_empty() || rest.starts_with('#') {
                self.next += 1;
                self.value(indent, "", item_at, false)?
            } else if split_key(rest).is_some() {
                // `- key: value`: a mapping whose keys line up with this first one.
                self.lines[self.next] = Line {
                    indent: column,
                    text: rest,
                };
                self.map(column)?
            } else {
                self.next += 1;
                self.inline(indent, rest, item_at)?
            };
            items.push(item);
        }
        Some(Node::List(items, at?))
    }

    /// The value of a key or of a list item whose line has been read: `rest` is what
    /// follows the colon or the dash, `indent` the indent of the key or of the dash.
    fn value(&mut self, indent: usize, rest: &'a str, at: Pos, in_map: bool) -> Option<Node<'a>> {
        if !rest.is_empty() && !rest.starts_with('#') {
            return self.inline(indent, rest, at);
        }
        match self.skip() {
            Some(l) if l.indent > indent => self.node(l.indent),
            // A mapping's list may start at the key's own indent.
            Some(l) if in_map && l.indent == indent && is_dash(l.text) => self.list(indent),
            _ => Some(Node::Null(at)),
        }
    }

    /// A value written on the line itself.
    fn inline(&mut self, indent: usize, rest: &'a str, at: Pos) -> Option<Node<'a>> {
        match rest.as_bytes()[0] {
            b'"' => double_quoted(rest, at),
            b'\'' => single_quoted(rest, at),
            b'|' => match rest.trim_end_matches(' ') {
                "|" => self.literal(indent, true),
                "|-" => self.literal(indent, false),
                _ => None,
            },
            b'[' if ends_well(rest, "[]") => Some(Node::List(Vec::new(), at)),
            b'{' if ends_well(rest, "{}") => Some(Node::Map(Vec::new(), at)),
            b'-' | b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!'
            | b'>' | b'%' | b'@' | b'`' => None,
            _ => plain(rest, at),
        }
    }

    /// A `|` block: its lines as written, less the indent of the first; `clip` keeps one
    /// final line break, otherwise (`|-`) none.
    fn literal(&mut self, parent: usize, clip: bool) -> Option<Node<'a>> {
        let first = self.lines.get(self.next)?;
        // An empty first line, or an empty block, has finer rules: left to the full parser.
        if first.text.is_empty() || first.indent <= parent {
            return None;
        }
        let indent = first.indent;
        // The full parser places a block at its first line of text.
        let at = Pos {
            line: self.next + 1,
            column: indent + 1,
        };
        let mut out = String::new();
        let mut blank = 0;
        while let Some(l) = self.lines.get(self.next) {
            if l.text.is_empty() {
                if l.indent > indent {
                    return None;
                }
                blank += 1;
            } else if l.indent < indent {
                break;
            } else {
                for _ in 0..blank {
                    out.push('\n');
                }
                blank = 0;
                for _ in indent..l.indent {
                    out.push(' ');
                }
                out.push_str(l.text);
                out.push('\n');
            }
            self.next += 1;
        }
        if !clip {
            out.pop();
        }
        Some(Node::Scalar {
            text: Cow::Owned(out),
            plain: false,
            at,
        })
    }
}

/// The full parser refuses a text over 64 MiB, or of more than 250 000 nodes (every
/// scalar, list and map, and every key): such a file is left to it, to be refused there.
const MAX_TEXT: usize = 64 << 20;
const MAX_NODES: usize = 250_000;

/// Whether `text` holds only characters the reader takes as they are: no control
/// character but the line feed (a tab and a carriage return have rules of their own,
/// the others are refused by YAML), no C1 control (U+0080–U+009F, U+0085 being a line
/// break), no U+2028 or U+2029 (line breaks to some readers), no byte-order mark
/// (refused inside a document) and no U+FFFE or U+FFFF.
fn plain_characters(bytes: &[u8]) -> bool {
    // One branch-free pass for the controls, then a look at the few lead bytes.
    let control = bytes.iter().fold(false, |found, &b| {
        found | ((b < 0x20 && b != b'\n') | (b == 0x7f))
    });
    !control
        && memchr::memchr3_iter(0xc2, 0xe2, 0xef, bytes).all(|i| {
            let next = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
            !match bytes[i] {
                0xc2 => (0x80..=0x9f).contains(&next(1)),
                0xe2 => next(1) == 0x80 && matches!(next(2), 0xa8 | 0xa9),
                _ => matches!(
                    (next(1), next(2)),
                    (0xbb, 0xbf) | (0xbf, 0xbe) | (0xbf, 0xbf)
                ),
            }
        })
}

/// Nodes as the full parser counts them against its budget.
fn nodes(node: &Node<'_>) -> usize {
    match node {
        Node::Null(_) | Node::Scalar { .. } => 1,
        Node::List(items, _) => 1 + items.iter().map(nodes).sum::<usize>(),
        Node::Map(entries, _) => 1 + entries.iter().map(|(_, v)| 1 + nodes(v)).sum::<usize>(),
    }
}

fn is_dash(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// `key: rest` with a key of ASCII letters, digits and underscores; `rest` is what follows
/// the colon and its spaces.
fn split_key(text: &str) -> Option<(&str, &str)> {
    let bytes = text.as_bytes();
    let len = bytes
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_'))?;
    if len == 0 || bytes[0].is_ascii_digit() || bytes[len] != b':' {
        return None;
    }
    let after = &text[len + 1..];
    if !after.is_empty() && !after.starts_with(' ') {
        return None;
    }
    Some((&text[..len], after.trim_start_matches(' ')))
}

/// What follows a closed value: spaces, then nothing or a comment.
fn tail_is_blank(tail: &str) -> bool {
    let rest = tail.trim_start_matches(' ');
    rest.is_empty() || (rest.starts_with('#') && rest.len() < tail.len())
}

fn ends_well(rest: &str, exact: &str) -> bool {
    rest.strip_prefix(exact).is_some_and(tail_is_blank)
}

fn double_quoted(rest: &str, at: Pos) -> Option<Node<'_>> {
    let body = &rest[1..];
    let bytes = body.as_bytes();
    let mut unescaped: Option<String> = None;
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => return quoted(body, start, i, unescaped, at),
            b'\\' => {
                let replaced = match bytes.get(i + 1)? {
                    b'"' => '"',
                    b'\\' => '\\',
                    b'/' => '/',
                    b'n' => '\n',
                    b't' => '\t',
                    _ => return None,
                };
                let s = unescaped.get_or_insert_with(String::new);
                s.push_str(&body[start..i]);
                s.push(replaced);
                i += 2;
                start = i;
            }
            _ => i += 1,
        }
    }
    // Not closed on its line: a multi-line value.
    None
}

fn single_quoted(rest: &str, at: Pos) -> Option<Node<'_>> {
    let body = &rest[1..];
    let mut unescaped: Option<String> = None;
    let mut start = 0;
    let mut from = 0;
    while let Some(found) = body[from..].find('\'') {
        let i = from + found;
        if body[i + 1..].starts_with('\'') {
            let s = unescaped.get_or_insert_with(String::new);
            s.push_str(&body[start..=i]);
            from = i + 2;
            start = from;
            continue;
        }
        return quoted(body, start, i, unescaped, at);
    }
    None
}

/// A quoted value whose closing quote is at `end` of `body`: its text, as written when
/// nothing was unescaped, or `unescaped` and the run from `start`; `None` if anything
/// but a comment follows the quote.
fn quoted<'a>(
    body: &'a str,
    start: usize,
    end: usize,
    unescaped: Option<String>,
    at: Pos,
) -> Option<Node<'a>> {
    if !tail_is_blank(&body[end + 1..]) {
        return None;
    }
    let text = match unescaped {
        None => Cow::Borrowed(&body[..end]),
        Some(mut s) => {
            s.push_str(&body[start..end]);
            Cow::Owned(s)
        }
    };
    Some(Node::Scalar {
        text,
        plain: false,
        at,
    })
}

fn plain(rest: &str, at: Pos) -> Option<Node<'_>> {
    let end = rest.find(" #").unwrap_or(rest.len());
    let text = rest[..end].trim_end_matches(' ');
    if text.contains(": ") || text.ends_with(':') {
        return None;
    }
    Some(Node::Scalar {
        text: Cow::Borrowed(text),
        plain: true,
        at,
    })
}

/// Why the quick reader gave up; never shown, the full parser says it better.
#[derive(Debug)]
struct GiveUp;

impl std::fmt::Display for GiveUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("left to the full YAML parser")
    }
}

impl std::error::Error for GiveUp {}

impl de::Error for GiveUp {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        GiveUp
    }
}

/// Words a plain value reads as "nothing".
fn is_null(text: &str) -> bool {
    matches!(text, "null" | "Null" | "NULL" | "~" | "")
}

/// A whole number as YAML writes it in decimal: no sign but `-`, no leading zero, no
/// `-0`, and few enough digits to be exact as a float too.
fn is_integer(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    (1..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !digits.starts_with('0'))
}

fn is_decimal(text: &str) -> bool {
    match text.split_once('.') {
        None => is_integer(text),
        Some((whole, fraction)) => {
            is_integer(whole)
                && !fraction.is_empty()
                && fraction.bytes().all(|b| b.is_ascii_digit())
        }
    }
}

struct Value<'n, 'a>(&'n Node<'a>);

impl<'n, 'a> Value<'n, 'a> {
    /// The text of a value that reads as text: quoted, or plain and not "nothing".
    fn text(&self) -> Result<&'n str, GiveUp> {
        match self.0 {
            Node::Scalar { text, plain, .. } if !(*plain && is_null(text)) => Ok(text),
            _ => Err(GiveUp),
        }
    }

    /// The text of a plain value, for the readers of numbers, booleans and names.
    fn plain(&self) -> Result<&'n str, GiveUp> {
        match self.0 {
            Node::Scalar {
                text, plain: true, ..
            } => Ok(text),
            _ => Err(GiveUp),
        }
    }
}

macro_rules! integers {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
            let text = self.plain()?;
            if !is_integer(text) {
                return Err(GiveUp);
            }
            match text.parse::<u64>() {
                Ok(n) => visitor.visit_u64(n),
                Err(_) => visitor.visit_i64(text.parse().map_err(|_| GiveUp)?),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Value<'_, '_> {
    type Error = GiveUp;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match self.0 {
            Node::Map(..) => self.deserialize_map(visitor),
            Node::List(..) => self.deserialize_seq(visitor),
            // A plain value's type is its reader's to decide; quoted, it is text.
            Node::Scalar { plain: false, .. } => visitor.visit_str(self.text()?),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        visitor.visit_str(self.text()?)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match self.0 {
            Node::Null(_) => visitor.visit_none(),
            Node::Scalar {
                text, plain: true, ..
            } if matches!(text.as_ref(), "null" | "~") => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match self.plain()? {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            _ => Err(GiveUp),
        }
    }

    integers!(deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64);

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        let text = self.plain()?;
        if !is_decimal(text) {
            return Err(GiveUp);
        }
        visitor.visit_f64(text.parse().map_err(|_| GiveUp)?)
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match self.0 {
            Node::List(items, _) => visitor.visit_seq(Items(items.iter())),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match self.0 {
            Node::Map(entries, _) => visitor.visit_map(Entries {
                entries: entries.iter(),
                value: None,
            }),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, GiveUp> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, GiveUp> {
        let name: StrDeserializer<'_, GiveUp> = self.plain()?.into_deserializer();
        visitor.visit_enum(name)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, GiveUp> {
        if name == SPANNED {
            visitor.visit_newtype_struct(Spanned(self.0))
        } else {
            visitor.visit_newtype_struct(self)
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        visitor.visit_unit()
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match self.0 {
            Node::Null(_) => visitor.visit_unit(),
            _ => Err(GiveUp),
        }
    }

    serde::forward_to_deserialize_any! {
        i128 u128 char bytes byte_buf unit_struct tuple tuple_struct
    }
}

struct Items<'n, 'a>(std::slice::Iter<'n, Node<'a>>);

impl<'de> de::SeqAccess<'de> for Items<'_, '_> {
    type Error = GiveUp;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, GiveUp> {
        self.0
            .next()
            .map(|item| seed.deserialize(Value(item)))
            .transpose()
    }
}

struct Entries<'n, 'a> {
    entries: std::slice::Iter<'n, (&'a str, Node<'a>)>,
    value: Option<&'n Node<'a>>,
}

impl<'de> de::MapAccess<'de> for Entries<'_, '_> {
    type Error = GiveUp;

    fn next_key_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, GiveUp> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        let key: StrDeserializer<'_, GiveUp> = key.into_deserializer();
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, GiveUp> {
        seed.deserialize(Value(self.value.take().ok_or(GiveUp)?))
    }
}

/// serde-saphyr's `Spanned<T>` asks its deserializer for a newtype of this name, then reads
/// a map of the value and of where it was written (`referenced`) and defined (`defined`,
/// the same here: the quick reader knows no aliases), after a marker key. The name and
/// marker are that crate's (version pinned in Cargo.lock); the tests below fail if they
/// change.
const SPANNED: &str = "__yaml_spanned";
const SPANNED_MARKER: &str = "__serde_saphyr_private_spanned";

struct Spanned<'n, 'a>(&'n Node<'a>);

impl<'de> de::Deserializer<'de> for Spanned<'_, '_> {
    type Error = GiveUp;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        visitor.visit_map(SpannedFields {
            node: self.0,
            step: 0,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

struct SpannedFields<'n, 'a> {
    node: &'n Node<'a>,
    step: u8,
}

impl<'de> de::MapAccess<'de> for SpannedFields<'_, '_> {
    type Error = GiveUp;

    fn next_key_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, GiveUp> {
        let key = match self.step {
            0 => SPANNED_MARKER,
            1 => "value",
            2 => "referenced",
            3 => "defined",
            _ => return Ok(None),
        };
        let key: StrDeserializer<'_, GiveUp> = key.into_deserializer();
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, GiveUp> {
        self.step += 1;
        match self.step {
            1 => seed.deserialize(UnitDeserializer::new()),
            2 => seed.deserialize(Value(self.node)),
            _ => {
                let at = self.node.at();
                let (line, column) = (
                    u32::try_from(at.line).map_err(|_| GiveUp)?,
                    u32::try_from(at.column).map_err(|_| GiveUp)?,
                );
                seed.deserialize(Location(line, column))
            }
        }
    }
}

/// A place, as serde-saphyr's `Location` reads itself: a map of `line` and `column`.
struct Location(u32, u32);

impl<'de> de::Deserializer<'de> for Location {
    type Error = GiveUp;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        visitor.visit_map(MapDeserializer::new(
            [("line", self.0), ("column", self.1)].into_iter(),
        ))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Debug;

    use super::from_str;
    use crate::content::types::{CityFile, OrganisationEntry, SectorFile};
    use crate::yaml::parse_once;

    /// Reads `text` both ways; when the quick reader answers, its answer must be the full
    /// parser's, to the line and column of every placed value. Returns whether it answered.
    fn quick<T: serde::de::DeserializeOwned + Debug>(text: &str) -> bool {
        let fast = from_str::<T>(text);
        let full = parse_once::<T>(text).ok();
        if let Some(fast) = &fast {
            assert_eq!(
                Some(format!("{fast:?}")),
                full.map(|f| format!("{f:?}")),
                "the quick reader differs from the full parser on:\n{text}"
            );
        }
        fast.is_some()
    }

    const CITY: &str = r#"---
# un commentaire
ville: "Lévis"
region: Chaudière-Appalaches   # commentaire après une valeur
statut: a_venir
chiffres:
  - valeur: 1395
    libelle: "nouveaux arrivants en 2024"
    source: 'l''été « ici »'
    annee: 2024
  -   valeur: 2.5
      unite: "%"
      libelle: "de la population"
  -
    valeur: 2600000000
    unite: "$"
    libelle: générés en revenus
leviers:
- titre: "Tourisme \"quatre\" saisons\\ et \/ \t tab"
  texte: |
    Premier paragraphe, « guillemets » et : deux-points.

      retrait gardé
    # pas un commentaire

  # un vrai commentaire, moins en retrait
- titre: Deuxième
  texte: |-
    sans saut final


force_distinctive: Amqui-de-Beauce développe des commerçants engagés, https://exemple.qc.ca/a:b
defis: []
partenariats:
  - nom: "Table de concertation agroalimentaire de Lanaudière"
    description: "Plusieurs entreprises."
partenaires_cles:
  - nom: Cégep de Lanaudière
    sigle: ~
    courriel: info@cegep.qc.ca
    site: "https://www.cegep.qc.ca/"
enjeux:
  - "Vitalité des centres-villes"
  - Forêt et bois d'œuvre
contact:
  nom: Marie Tremblay
  telephone: 418 691-5698
  courriel: null
mise_a_jour: 2025-03-25
"#;

    #[test]
    fn a_fiche_in_plain_yaml_is_read_as_the_full_parser_reads_it() {
        assert!(quick::<CityFile>(CITY));
        let without_start = CITY.strip_prefix("---\n").unwrap();
        assert!(quick::<CityFile>(without_start));
        let registry =
            "- nom: \"ALTE Coop\"\n- nom: Arpent\n  sigle: \"ARP\"\n  alias:\n  - \"L’Arpent\"\n";
        assert!(quick::<Vec<OrganisationEntry>>(registry));
        let sector = "---\ntitre: \"Services aux aînés\"\nordre: 3\norganisme_porteur: \"Réseau\"\npartenaires:\n  - \"A\"\ngroupes_partenaires:\n  - titre: Milieu\n    partenaires: [\"B\"]\n";
        // A flow list with an item is left to the full parser…
        assert!(!quick::<SectorFile>(sector));
        // …and read quickly once written as a block.
        let block = sector.replace("[\"B\"]", "\n      - \"B\"");
        assert!(quick::<SectorFile>(&block));
    }

    #[test]
    fn a_plain_value_read_as_text_is_its_text() {
        for value in [
            "0x1F",
            ".inf",
            "-12",
            "+5",
            "1_000",
            "0o17",
            "12.50",
            "true",
            "Yes",
            "2025-03-25",
            "Estrie\u{a0}",
            "a#b",
            "https://a.qc.ca/?q=1",
            "[x",
            "x, y",
            "L’Érable",
            "-0",
        ] {
            let text = format!("ville: \"Lévis\"\nregion: {value}\ncontact:\n  nom: {value}\n");
            quick::<CityFile>(&text);
        }
        for value in [
            "1395",
            "-3",
            "2.5",
            "0",
            "-0",
            "007",
            "1.",
            "12345678901234567",
        ] {
            let text = format!(
                "ville: x\nchiffres:\n  - valeur: {value}\n    libelle: y\n    annee: {value}\n"
            );
            quick::<CityFile>(&text);
            let text = format!("ville: x\nchiffres:\n  - valeur: {value}\n    libelle: y\n");
            quick::<CityFile>(&text);
        }
        assert!(quick::<CityFile>(
            "ville: x\nchiffres:\n  - valeur: 2.5\n    libelle: y\n"
        ));
    }

    #[test]
    fn a_block_is_placed_at_its_first_line_of_text() {
        for text in [
            "ville: |-\n  Lévis\n",
            "ville: |\n  Lévis\n",
            "ville: x\nmise_a_jour: |-\n  2025\n",
            "ville: x\nenjeux:\n  - |-\n    abc\n  - |-\n   def\n",
            "ville: x\nenjeux:\n- |-\n abc\n",
        ] {
            assert!(quick::<CityFile>(text), "{text}");
        }
    }

    #[test]
    fn characters_yaml_refuses_are_left_to_the_full_parser() {
        for text in [
            "ville: a\u{7}b\n",
            "ville: a\0b\n",
            "ville: \"a\u{c}b\"\n",
            "ville: x\n# commentaire \u{1}\n",
            "ville: x\ndescription: |\n  a\u{80}b\n",
            "ville: x # commentaire \u{ffff}\n",
            "ville: a\u{7f}b\n",
            "ville: \u{feff}b\n",
            "ville: x\nenjeux:\n  - \u{feff}b\n",
        ] {
            assert!(from_str::<CityFile>(text).is_none(), "{text:?}");
            assert!(parse_once::<CityFile>(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn a_file_over_the_full_parser_s_budget_is_left_to_it() {
        // 1 + 3 nodes per entry: 83 333 entries fit in 250 000 nodes, 83 334 do not.
        let fits = "- nom: a\n".repeat(83_333);
        assert!(from_str::<Vec<OrganisationEntry>>(&fits).is_some());
        let over = "- nom: a\n".repeat(83_334);
        assert!(from_str::<Vec<OrganisationEntry>>(&over).is_none());
        assert!(parse_once::<Vec<OrganisationEntry>>(&over).is_err());
    }

    #[test]
    fn every_shipped_fiche_is_read_quickly_and_alike() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let mut read = 0;
        for folder in ["villes", "secteurs"] {
            for entry in std::fs::read_dir(root.join(folder)).unwrap() {
                let path = entry.unwrap().path();
                let text = std::fs::read_to_string(&path).unwrap();
                // A .md file's front matter: up to its second `---` line.
                let yaml = match text.match_indices("\n---").next() {
                    Some((end, _)) if text.starts_with("---\n") => &text[..end + 1],
                    _ => &text,
                };
                let answered = if folder == "villes" {
                    quick::<CityFile>(yaml)
                } else {
                    quick::<SectorFile>(yaml)
                };
                assert!(answered, "{} left to the full parser", path.display());
                read += 1;
            }
        }
        assert!(read >= 20, "{read} fiches");
    }

    #[test]
    fn what_it_does_not_know_is_left_to_the_full_parser() {
        let base = "ville: \"Lévis\"\n";
        for (shape, why) in [
            (
                "region: Chaudière\n  Appalaches\n",
                "a plain value on two lines",
            ),
            (
                "region: \"Chaudière\n  Appalaches\"\n",
                "a quoted value on two lines",
            ),
            ("region: >\n  plié\n  ici\n", "a folded block"),
            ("region: |+\n  gardé\n\n", "a block keeping its line breaks"),
            (
                "region: |\n\n  après une ligne vide\n",
                "a block opening on a blank line",
            ),
            ("region: \"a\tb\"\n", "a tab"),
            ("region: \"a\"\r\n", "a carriage return"),
            ("region: &r Estrie\n", "an anchor"),
            ("region: !!str Estrie\n", "a tag"),
            ("region: \"\\u00e9\"\n", "an escape it does not decode"),
            ("region: Null\n", "a null word it does not read"),
            ("region: Est\u{2028}rie\n", "a Unicode line separator"),
            ("defis: [\"un\"]\n", "a flow list"),
            (
                "chiffres:\n  - valeur: +70\n    libelle: x\n",
                "a signed number",
            ),
            (
                "chiffres:\n  - valeur: \"70\"\n    libelle: x\n",
                "a quoted number",
            ),
            (
                "chiffres:\n  - valeur: 1e3\n    libelle: x\n",
                "an exponent",
            ),
            ("contact:\n  nom: a: b\n", "a colon in a plain value"),
        ] {
            let text = format!("{base}{shape}");
            assert!(from_str::<CityFile>(&text).is_none(), "{why}");
        }
    }

    #[test]
    fn a_mistake_is_never_answered_quickly() {
        for text in [
            "ville: \"Lévis\"\nville: \"Laval\"\n",
            "ville: \"Lévis\"\nvile: \"Laval\"\n",
            "region: \"Estrie\"\n",
            "ville: \"Lévis\"\nchiffres:\n  - valeur: beaucoup\n    libelle: x\n",
            "ville: \"Lévis\"\nchiffres:\n  - valeur: 1\n    libelle: x\n    annee: 70000\n",
            "ville: \"Lévis\"\nstatut: publie\n",
            "ville: \"Lévis\"\n  region: \"Estrie\"\n",
            "ville: \"Lévis\"\ndefis:\n  - \"a\"\n - \"b\"\n",
            "ville: \"Lévis\"\ndefis:\n",
            "ville: ~\n",
            "ville: \"Lévis\"\n---\nville: \"Laval\"\n",
            "ville: \"Lévis\" et Laval\n",
            "",
        ] {
            assert!(from_str::<CityFile>(text).is_none(), "{text}");
            assert!(parse_once::<CityFile>(text).is_err(), "{text}");
        }
    }
}
