#!/usr/bin/env python3
"""Turns a synthetic corpus from `gen_corpus.py --layout plain` into a fiches site.

    python3 scripts/corpus_to_fiches.py CORPUS_DIR SITE_DIR [--theme-from REPO]

The corpus's files are Markdown with a block-style YAML front matter whose scalars are
all JSON-quoted, one per line, so the conversion is done line by line:

* the top-level `title` is dropped (fiches takes a city's name from `ville` and a
  project's from `titre`);
* every headline figure (`chiffres`) gets the source and year fiches requires; the
  generator has none, so the source says plainly that the corpus is synthetic;
* every other field (`ville`, `region`, `leviers`, `force_distinctive`, `defis`,
  `partenariats`, `partenaires_cles`, `enjeux`, `titre`, `organisme_porteur`,
  `partenaires`, `contact`) already has fiches' name and shape, and the Markdown body
  becomes the description.

It also writes `site.yaml` and copies the repository's `themes/`. Standard library only.
"""
import argparse
import os
import shutil
import sys

SOURCE_LINES = ['    source: "corpus synthétique"\n', "    annee: 2024\n"]

SITE_YAML = """titre: "Corpus synthétique de fiches"
sous_titre: "Site de mesure de la vitesse de construction"
url_base: "https://example.org/"
langue: "fr-CA"
theme: "default"
licence: "CC BY 4.0"
presentation: "Fiches générées pour mesurer la vitesse de construction de fiches."
"""


def convert(text):
    """The fiches form of one corpus file."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        raise ValueError("front matter missing")
    out = [lines[0]]
    in_figures = False
    i = 1
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.rstrip() == "---":
            if in_figures:
                out.extend(SOURCE_LINES)
            out.append(line)
            out.extend(lines[i:])
            return "".join(out)
        top_level = not line.startswith(" ") and not line.startswith("-")
        if top_level:
            if in_figures:
                out.extend(SOURCE_LINES)
            in_figures = line.startswith("chiffres:")
            if line.startswith("title:"):
                continue
        elif in_figures and line.startswith("  - ") and out[-1].startswith("    "):
            # a new figure begins: close the previous one
            out.extend(SOURCE_LINES)
        out.append(line)
    raise ValueError("front matter not closed")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("site")
    ap.add_argument("--theme-from", default=os.path.join(os.path.dirname(__file__), ".."),
                    help="the repository whose themes/ folder the site uses")
    a = ap.parse_args(argv)

    for kind in ("villes", "secteurs"):
        src = os.path.join(a.corpus, kind)
        dst = os.path.join(a.site, "content", kind)
        shutil.rmtree(dst, ignore_errors=True)
        os.makedirs(dst)
        for name in sorted(os.listdir(src)):
            if not name.endswith(".md"):
                continue
            with open(os.path.join(src, name), encoding="utf-8") as f:
                text = f.read()
            try:
                converted = convert(text)
            except ValueError as e:
                sys.exit(f"{os.path.join(src, name)}: {e}")
            with open(os.path.join(dst, name), "w", encoding="utf-8", newline="\n") as f:
                f.write(converted)
    with open(os.path.join(a.site, "site.yaml"), "w", encoding="utf-8", newline="\n") as f:
        f.write(SITE_YAML)
    themes = os.path.join(a.site, "themes")
    shutil.rmtree(themes, ignore_errors=True)
    shutil.copytree(os.path.join(a.theme_from, "themes"), themes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
