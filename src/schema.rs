//! JSON Schemas of the content format, generated from the very types that parse it, so
//! that they cannot drift. Editors' text editors use them for autocompletion and to flag
//! a mistake while typing (the `# yaml-language-server: $schema=…` first line of each
//! fiche); CI can check merge requests with any JSON Schema validator. The build
//! publishes them under `/schemas/`, and `fiches schema` writes them to a folder.

use std::borrow::Cow;

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator};

use crate::config::SiteFile;
use crate::content::{CityFile, EnjeuEntry, OrganisationEntry, SectorFile};
use crate::yaml::Spanned;

/// Where the schemas live: in the output, in the repository, and what fiches point to.
pub const FOLDER: &str = "schemas";

/// A located value is, for an editor, just the value.
impl<T: JsonSchema> JsonSchema for Spanned<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        generator.subschema_for::<T>()
    }
}

/// Every schema, by file name: `ville`, `secteur`, `organismes`, `enjeux`, `site`.
pub fn schemas() -> Vec<(&'static str, Schema)> {
    vec![
        ("ville.schema.json", generate::<CityFile>(None)),
        ("secteur.schema.json", generate::<SectorFile>(None)),
        (
            "organismes.schema.json",
            generate::<Vec<OrganisationEntry>>(Some(
                "Registre des organismes (content/organismes.yaml) : une entrée par organisme",
            )),
        ),
        (
            "enjeux.schema.json",
            generate::<Vec<EnjeuEntry>>(Some(
                "Registre des enjeux (content/enjeux.yaml) : une entrée par enjeu",
            )),
        ),
        ("site.schema.json", generate::<SiteFile>(None)),
    ]
}

fn generate<T: JsonSchema>(title: Option<&str>) -> Schema {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let mut schema = generator.into_root_schema_for::<T>();
    if let Some(title) = title {
        schema.insert("title".to_string(), title.into());
    }
    schema
}

/// The schemas as files, `schemas/<name>.schema.json`, pretty-printed with a final newline
/// so that the copy kept in a repository reads and diffs well.
pub fn files() -> Vec<(String, Vec<u8>)> {
    schemas()
        .into_iter()
        .map(|(name, schema)| {
            let mut bytes = serde_json::to_vec_pretty(&schema).unwrap_or_default();
            bytes.push(b'\n');
            (format!("{FOLDER}/{name}"), bytes)
        })
        .collect()
}

/// Writes the schemas into `dir`, returning the files written.
pub fn write(dir: &std::path::Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for (path, bytes) in files() {
        let name = path.trim_start_matches(&format!("{FOLDER}/")).to_string();
        let dest = dir.join(name);
        std::fs::write(&dest, bytes)?;
        written.push(dest);
    }
    Ok(written)
}
