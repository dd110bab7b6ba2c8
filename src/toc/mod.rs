//! The pure TOC engine: a Markdown document in, the same document with a fresh TOC out. No I/O.

pub mod anchor;
pub mod gomarkdown;
pub mod headings;
pub mod markers;
mod render;
pub mod styles;

pub use anchor::{Slugger, slugify};
use headings::Span;
pub use headings::{Heading, Link};
pub use markers::{END_MARKER, Family, ForeignToc, MarkerError, MarkerPair, START_MARKER};
pub use styles::doctoc::DoctocOptions;
pub use styles::markdown_toc::MarkdownTocOptions;

use std::ops::Range;

/// The largest document the engine reads. Its offsets, and those of the link texts and anchors
/// made from it (at most about 12 bytes per byte of heading: `&` is `&amp;` in an href and in
/// the link text), stay below 4 GiB, so headings keep them as `u32`. Real proposals are 10-200 KB.
pub const MAX_DOCUMENT_BYTES: usize = 256 << 20;

/// How entries are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TocStyle {
    /// The seed's style: Markdown link text with `\[`, `\>` escapes, nested by heading structure.
    #[default]
    Markdown,
    /// kubernetes-sigs/mdtoc's style: HTML link text (`<code>`, `&amp;`), indented by level.
    Html,
    /// The html style as mdtoc at commit `b8c54a57` writes it (`kep.mdtocVersion`).
    HtmlB8c54a57,
    /// doctoc's (`styles::doctoc`), between its own markers.
    Doctoc,
    /// markdown-toc's (`styles::markdown_toc`), between `<!-- toc -->` and `<!-- tocstop -->`.
    MarkdownToc,
}

impl TocStyle {
    /// The marker family the style maintains; every other family is another tool's.
    pub fn family(self) -> Family {
        match self {
            TocStyle::Markdown | TocStyle::Html | TocStyle::HtmlB8c54a57 => Family::Toc,
            TocStyle::Doctoc => Family::Doctoc,
            TocStyle::MarkdownToc => Family::MarkdownToc,
        }
    }

    /// Whether the style writes mdtoc's TOC (some version of it).
    pub fn is_mdtoc(self) -> bool {
        matches!(self, TocStyle::Html | TocStyle::HtmlB8c54a57)
    }

    /// How mdtoc's inline parser reads headings in this style.
    fn mdtoc_dialect(self) -> gomarkdown::Dialect {
        match self {
            TocStyle::HtmlB8c54a57 => gomarkdown::Dialect::B8c54a57,
            _ => gomarkdown::Dialect::V1_4_0,
        }
    }

    /// How the engine's own scan reads headings for this style: as mdtoc does (html), or as
    /// GitHub does (the others: the styles of other tools read the document themselves).
    fn scan(self) -> TocStyle {
        match self {
            TocStyle::Html | TocStyle::HtmlB8c54a57 => TocStyle::Html,
            TocStyle::Markdown | TocStyle::Doctoc | TocStyle::MarkdownToc => TocStyle::Markdown,
        }
    }
}

/// Whose anchors the html style writes (the markdown style always writes GitHub's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Anchors {
    /// mdtoc's, byte for byte (ASCII-only slugs, duplicates counted among the listed headings):
    /// what a repository whose CI runs `mdtoc --dryrun` accepts.
    #[default]
    Mdtoc,
    /// GitHub's: the ids github.com gives the headings.
    Github,
}

/// What the TOC lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocOptions {
    pub style: TocStyle,
    /// Deepest heading level listed (1-6).
    pub max_depth: u8,
    /// List only headings after the end marker (mdtoc's `--skip-prefix`).
    pub skip_prefix: bool,
    /// The html style's anchors.
    pub anchors: Anchors,
    /// The doctoc style's options (doctoc's command line).
    pub doctoc: DoctocOptions,
    /// The markdown-toc style's options (its command line).
    pub markdown_toc: MarkdownTocOptions,
}

impl Default for TocOptions {
    fn default() -> Self {
        TocOptions {
            style: TocStyle::Markdown,
            max_depth: 6,
            skip_prefix: false,
            anchors: Anchors::Mdtoc,
            doctoc: DoctocOptions::default(),
            markdown_toc: MarkdownTocOptions::default(),
        }
    }
}

impl TocOptions {
    /// mdtoc's options as kubernetes/enhancements runs it (`--max-depth=5`, `--skip-prefix`).
    pub fn mdtoc(max_depth: u8) -> TocOptions {
        TocOptions { style: TocStyle::Html, max_depth, skip_prefix: true, ..TocOptions::default() }
    }

    /// doctoc's, with its command line's options.
    pub fn doctoc(options: DoctocOptions) -> TocOptions {
        TocOptions { style: TocStyle::Doctoc, doctoc: options, ..TocOptions::default() }
    }

    /// markdown-toc's, with its command line's options.
    pub fn markdown_toc(options: MarkdownTocOptions) -> TocOptions {
        TocOptions { style: TocStyle::MarkdownToc, markdown_toc: options, ..TocOptions::default() }
    }
}

/// The result of regenerating a document's TOC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The document has no marker pair: nothing to maintain.
    NoMarkers,
    /// The TOC is already what we would write (or differs only by white space at its edges,
    /// which mdtoc tolerates too): leave the file alone.
    Fresh,
    /// The whole document with its new TOC.
    Stale(String),
    /// What the tool the style equals would write cannot be written: it would rewrite that
    /// again, or it reads the document in a way git-kep does not reproduce. The file is left as
    /// it is and reported (`line`, 1-based, and why).
    Unmatched { line: usize, reason: String },
}

/// A parsed document: where its TOC is and what its headings are.
#[derive(Debug, PartialEq, Eq)]
pub struct Document<'a> {
    pub text: &'a str,
    /// `None`: the document has no markers.
    pub markers: Option<MarkerPair>,
    /// Other tools' TOCs (doctoc, markdown-toc, JetBrains, VS Code): theirs, left as they are.
    pub foreign_tocs: Vec<ForeignToc>,
    /// Every heading outside the TOC body, in order.
    pub headings: Vec<Heading>,
    /// Links with a `#` fragment outside the TOC body (inline links and reference definitions);
    /// empty unless parsed with `parse_with_links`.
    pub links: Vec<headings::Link>,
    /// Ids defined by HTML in the document (`<a name="x">`), which links may target too; empty
    /// unless parsed with `parse_with_links`.
    pub html_ids: Vec<String>,
    link_texts: String,
    anchors: String,
    /// Whether `headings` are exactly the headings github.com renders (with `anchor` their ids):
    /// not so where the html style read some as mdtoc does, or the TOC body reached outside.
    pub github_headings: bool,
}

impl<'a> Document<'a> {
    /// Parses a document once: markers, headings (link text in `style`) and their anchors.
    pub fn parse(text: &'a str, style: TocStyle) -> Result<Self, MarkerError> {
        Self::parse_with(text, style, false)
    }

    /// Like `parse`, and also collects the links and HTML ids (`links`, `html_ids`) for checks.
    pub fn parse_with_links(text: &'a str, style: TocStyle) -> Result<Self, MarkerError> {
        Self::parse_with(text, style, true)
    }

    fn parse_with(text: &'a str, style: TocStyle, with_links: bool) -> Result<Self, MarkerError> {
        if text.len() > MAX_DOCUMENT_BYTES {
            return Err(MarkerError::TooLarge { bytes: text.len() });
        }
        let family = style.family();
        let dialect = style.mdtoc_dialect();
        let style = style.scan();
        let base = content_start(text);
        let mut scan = headings::scan(text, base, &text[base..], style, dialect, with_links);
        let markers::Pairs { ours: markers, foreign: foreign_tocs } = markers::pair(text, &scan.markers, family)?;
        let mut github_headings = !scan.read_as_mdtoc_reads_it;
        if let Some(pair) = &markers {
            let body = pair.body();
            // The body is about to be replaced. If it reaches outside itself (a link definition
            // changes heading text elsewhere; an HTML block opened in it swallows the end marker
            // and what follows; the markers sit inside a comment or `<?` block that a `-->` or
            // `?>` in the body would end early), read the headings without it, so regenerating
            // twice gives the same document. The html style reads headings as mdtoc does where
            // fences pair differently; such a fence in the body must not count either.
            let mdtoc_view = style == TocStyle::Html && !scan.stray_fences.is_empty();
            let body_leaks = !pair.start.opens_block
                || !pair.end.opens_block
                || scan.reference_definitions.iter().any(|def| overlaps(def, &body))
                || mdtoc_view;
            github_headings &= !body_leaks;
            if body_leaks {
                let without_body = format!("{}{}", &text[base..body.start], &text[body.end..]);
                let mut rescan = headings::scan(&without_body, 0, &without_body, style, dialect, false);
                if style == TocStyle::Html {
                    headings::apply_mdtoc_view(&without_body, 0, &mut rescan, dialect);
                }
                let shift = |offset: usize| {
                    if offset + base >= body.start { offset + base + body.len() } else { offset + base }
                };
                // Where mdtoc's title blocks may start, as the text reads without the body.
                scan.title_block_starts = rescan.title_block_starts.iter().map(|&start| shift(start)).collect();
                for heading in &mut rescan.headings {
                    let span = heading.span();
                    heading.span = Span::of(shift(span.start)..shift(span.end));
                }
                scan.headings = rescan.headings;
                scan.link_texts = rescan.link_texts;
                // The body's own reference definitions go with it.
                scan.mdtoc_refs = rescan.mdtoc_refs;
            }
            let before = scan.headings.len();
            scan.headings.retain(|h| !overlaps(&h.span(), &body));
            // GitHub renders a heading inside the TOC body too (and counts its anchor).
            github_headings &= scan.headings.len() == before;
            scan.links.retain(|link| !body.contains(&link.offset));
        } else if style == TocStyle::Html {
            github_headings &= scan.stray_fences.is_empty();
            headings::apply_mdtoc_view(text, base, &mut scan, dialect);
        }
        if style == TocStyle::Html {
            // Title blocks first: a heading may start after one, mid-line.
            let after_toc = markers.as_ref().map_or(base, |pair| pair.end.line.end);
            headings::hide_title_blocks(text, after_toc, &mut scan);
            headings::read_as_mdtoc(text, &mut scan, dialect);
            if dialect == gomarkdown::Dialect::B8c54a57 {
                headings::hide_quotes_continuing_paragraphs(text, &mut scan);
            }
        }
        // The slugs are part of the link texts: room enough without another pass over headings.
        let mut slugger = Slugger::with_capacity(scan.headings.len(), scan.link_texts.len());
        for heading in &mut scan.headings {
            heading.anchor = Span::of(slugger.unique(&scan.link_texts[heading.slug.range()]));
        }
        scan.links.sort_by_key(|link| link.offset);
        Ok(Document {
            text,
            markers,
            foreign_tocs,
            headings: scan.headings,
            links: scan.links,
            html_ids: scan.html_ids,
            link_texts: scan.link_texts,
            anchors: slugger.into_ids(),
            github_headings,
        })
    }

    /// The headings as github.com renders them, without reading the text again where they are
    /// this document's own (`github_headings`; every style keeps GitHub's slugs and marks the
    /// headings mdtoc does not see rather than dropping them). Without HTML ids unless parsed
    /// with `parse_with_links`.
    pub fn github_view(&self) -> GithubView {
        if !self.github_headings {
            return github_view(self.text);
        }
        let headings = self.headings.iter().map(|h| GithubHeading {
            level: h.level,
            start: h.span().start,
            anchor: self.anchor(h).to_owned(),
            text: self.heading_text(h).to_owned(),
        });
        GithubView { headings: headings.collect(), html_ids: self.html_ids.clone() }
    }

    /// This document as `new_text`, which is it with another TOC body (what `outcome` writes):
    /// what `parse_with_links(new_text)` gives, without parsing again. `None` unless both bodies
    /// are plain TOC lists (`is_plain_toc`), which cannot change how the rest of the document
    /// reads: then the headings and links are the same ones, those after the TOC moved along.
    pub fn with_toc_body<'b>(&self, new_text: &'b str) -> Option<Document<'b>> {
        let pair = self.markers.as_ref()?;
        let body = pair.body();
        let (prefix, suffix) = (&self.text[..body.start], &self.text[body.end..]);
        let fits =
            new_text.len() >= prefix.len() + suffix.len() && new_text.starts_with(prefix) && new_text.ends_with(suffix);
        if !fits || !pair.start.opens_block || !pair.end.opens_block {
            return None;
        }
        let new_end = new_text.len() - suffix.len();
        if !is_plain_toc(&self.text[body.clone()]) || !is_plain_toc(&new_text[body.start..new_end]) {
            return None;
        }
        let shift = |offset: usize| if offset >= body.end { offset - body.end + new_end } else { offset };
        let mut markers = pair.clone();
        markers.end.line = shift(markers.end.line.start)..shift(markers.end.line.end);
        let headings = self
            .headings
            .iter()
            .map(|h| {
                let span = h.span();
                Heading { span: Span::of(shift(span.start)..shift(span.end)), ..h.clone() }
            })
            .collect();
        let links = self
            .links
            .iter()
            .map(|link| headings::Link { destination: link.destination.clone(), offset: shift(link.offset) })
            .collect();
        let foreign_tocs = self
            .foreign_tocs
            .iter()
            .map(|toc| ForeignToc { family: toc.family, lines: shift(toc.lines.start)..shift(toc.lines.end) })
            .collect();
        Some(Document {
            text: new_text,
            markers: Some(markers),
            foreign_tocs,
            headings,
            links,
            html_ids: self.html_ids.clone(),
            link_texts: self.link_texts.clone(),
            anchors: self.anchors.clone(),
            github_headings: self.github_headings,
        })
    }

    /// Every TOC block's bytes, git-kep's body and other tools' whole pairs: what no other
    /// rewrite touches (each TOC is its own tool's to write).
    pub fn toc_blocks(&self) -> Vec<Range<usize>> {
        self.markers.iter().map(MarkerPair::body).chain(self.foreign_tocs.iter().map(|toc| toc.lines.clone())).collect()
    }

    /// The heading's GitHub anchor (without `#`).
    pub fn anchor(&self, heading: &Heading) -> &str {
        &self.anchors[heading.anchor.range()]
    }

    /// The heading's rendered text: what GitHub slugs and what people read.
    pub fn heading_text(&self, heading: &Heading) -> &str {
        &self.link_texts[heading.text.range()]
    }

    /// The heading's TOC link text in the style the document was parsed for.
    pub fn link_text(&self, heading: &Heading) -> &str {
        &self.link_texts[heading.link_text.range()]
    }

    /// The anchor a TOC entry links to: GitHub's, or in html style with mdtoc's anchors the
    /// ones mdtoc writes for `listed` (the headings the TOC lists, which are all mdtoc counts).
    fn entry_anchors(&self, listed: &[&Heading], options: &TocOptions) -> Vec<std::borrow::Cow<'_, str>> {
        if !options.style.is_mdtoc() || options.anchors == Anchors::Github {
            return listed.iter().map(|h| std::borrow::Cow::Borrowed(self.anchor(h))).collect();
        }
        // mdtoc's counter: per slug, the number of earlier headings with that slug, whatever
        // ids the suffixes make (`echo`, `echo`, `echo 1` give `echo-1` twice).
        let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        listed
            .iter()
            .map(|h| {
                let base = &self.link_texts[h.mdtoc_slug.range()];
                let count = seen.entry(base).or_insert(0);
                *count += 1;
                match *count - 1 {
                    0 => std::borrow::Cow::Borrowed(base),
                    n => std::borrow::Cow::Owned(format!("{base}-{n}")),
                }
            })
            .collect()
    }

    /// The entries the TOC should list, each with the anchor it links to; `None` without markers,
    /// and in the styles of other tools, which read the document their own way.
    pub fn toc_entries(&self, options: &TocOptions) -> Option<Vec<(&Heading, std::borrow::Cow<'_, str>)>> {
        if !matches!(options.style, TocStyle::Markdown | TocStyle::Html | TocStyle::HtmlB8c54a57) {
            return None;
        }
        let listed = self.listed(options)?;
        let anchors = self.entry_anchors(&listed, options);
        Some(listed.into_iter().zip(anchors).collect())
    }

    /// The headings the TOC lists (`None` without markers).
    fn listed(&self, options: &TocOptions) -> Option<Vec<&Heading>> {
        let pair = self.markers.as_ref()?;
        Some(
            self.headings
                .iter()
                .filter(|h| h.level <= options.max_depth)
                .filter(|h| !options.skip_prefix || h.span().start >= pair.end.line.start)
                .filter(|h| !options.style.is_mdtoc() || h.seen_by_mdtoc)
                .collect(),
        )
    }

    /// The TOC body this document should have, or `None` without markers (git-kep's own pair:
    /// the markdown and html styles).
    pub fn fresh_toc(&self, options: &TocOptions) -> Option<String> {
        let mut toc = String::new();
        self.fresh_toc_into(&mut toc, options, 0)?;
        Some(toc)
    }

    /// `fresh_toc`, appended to `out` with room for `room_after` more bytes; `None` (and `out`
    /// unchanged) without markers.
    fn fresh_toc_into(&self, out: &mut String, options: &TocOptions, room_after: usize) -> Option<()> {
        let pair = self.markers.as_ref()?;
        let listed = self.listed(options)?;
        let anchors = self.entry_anchors(&listed, options);
        let entries = listed.iter().zip(&anchors).map(|(h, anchor)| render::Entry {
            level: h.level,
            link_text: self.link_text(h),
            anchor,
        });
        let newline = if self.text[pair.start.line.clone()].ends_with("\r\n") { "\r\n" } else { "\n" };
        render::render_into(out, entries, options.style.scan(), newline, room_after);
        Some(())
    }
}

/// Every anchor a document offers to links from other files: its headings' GitHub anchors and
/// its HTML ids, whatever state its markers are in.
pub fn anchors(text: &str) -> Vec<String> {
    let view = github_view(text);
    let mut anchors: Vec<String> = view.headings.into_iter().map(|h| h.anchor).collect();
    anchors.extend(view.html_ids);
    anchors
}

/// A heading as github.com shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GithubHeading {
    /// Where it starts in the document.
    pub start: usize,
    pub level: u8,
    pub anchor: String,
    pub text: String,
}

/// What a link's fragment can land on at github.com: the headings GitHub renders, in order,
/// with their ids, and the ids HTML in the document defines.
#[derive(Debug, Default)]
pub struct GithubView {
    pub headings: Vec<GithubHeading>,
    pub html_ids: Vec<String>,
}

/// The document as github.com renders it (CommonMark), whatever state its markers are in.
pub fn github_view(text: &str) -> GithubView {
    if text.len() > MAX_DOCUMENT_BYTES {
        // Refused by `Document::parse` too: nothing to link to.
        return GithubView::default();
    }
    let base = content_start(text);
    let scan = headings::scan(text, base, &text[base..], TocStyle::Markdown, gomarkdown::Dialect::default(), true);
    let mut slugger = Slugger::new();
    let headings = scan
        .headings
        .iter()
        .map(|h| {
            let anchor = slugger.unique(&scan.link_texts[h.slug.range()]);
            GithubHeading {
                start: h.span().start,
                level: h.level,
                anchor: slugger.ids()[anchor].to_owned(),
                text: scan.link_texts[h.text.range()].to_owned(),
            }
        })
        .collect();
    GithubView { headings, html_ids: scan.html_ids }
}

/// Regenerates the TOC between the markers of `doc`. Only the bytes between the marker lines
/// can change; everything else (line endings, BOM, final newline) is kept as it is.
pub fn regenerate(doc: &str, options: &TocOptions) -> Result<Outcome, MarkerError> {
    Ok(Document::parse(doc, options.style)?.outcome(options))
}

impl Document<'_> {
    /// The document with its TOC regenerated (parsed for `options.style`).
    pub fn outcome(&self, options: &TocOptions) -> Outcome {
        self.outcome_verified(options, true)
    }

    /// `outcome`, checking that the TOC written stays fresh where the style's tool reads the old
    /// one (`verify`; not again for that check's own run).
    fn outcome_verified(&self, options: &TocOptions, verify: bool) -> Outcome {
        // The tools' own styles read the document their own way; their markers were checked by
        // `parse`, and where the tool reads them otherwise, the file is not theirs to write.
        let own = match options.style {
            TocStyle::Doctoc => Some(styles::doctoc::regenerate(self.text, &options.doctoc)),
            TocStyle::MarkdownToc => Some(styles::markdown_toc::regenerate(self.text, &options.markdown_toc)),
            // The older gomarkdown reads neither setext headings, fences nor closing `#`s in CRLF
            // files; the html style does not reproduce that.
            TocStyle::HtmlB8c54a57 if self.text.contains('\r') => Some(Ok(Outcome::Unmatched {
                line: 1,
                reason: "mdtoc at b8c54a57 reads CRLF files otherwise (no setext headings, fences or \
                         closing #s), which git-kep does not reproduce"
                    .to_owned(),
            })),
            TocStyle::Markdown | TocStyle::Html | TocStyle::HtmlB8c54a57 => None,
        };
        if let Some(outcome) = own {
            return outcome.unwrap_or_else(|err| Outcome::Unmatched { line: err.line(), reason: err.to_string() });
        }
        let Some(pair) = &self.markers else { return Outcome::NoMarkers };
        // mdtoc takes the first `<!-- toc -->` and `<!-- /toc -->` in the raw text for its
        // markers, in prose and code spans too: where one comes before these, it would write
        // there (found trying kubernetes-sigs/descheduler with the built-in template's text).
        if matches!(options.style, TocStyle::Html | TocStyle::HtmlB8c54a57) {
            let first = |marker: &str| memchr::memmem::find(self.text.as_bytes(), marker.as_bytes());
            let elsewhere = first("<!-- toc -->")
                .filter(|at| !pair.start.line.contains(at))
                .or_else(|| first("<!-- /toc -->").filter(|at| !pair.end.line.contains(at)));
            if let Some(at) = elsewhere {
                return Outcome::Unmatched {
                    line: markers::line_of(self.text, at),
                    reason: "mdtoc takes the first `<!-- toc -->` or `<!-- /toc -->` anywhere in the text (in \
                             prose and code too) for its marker, and would write the TOC there; reword that \
                             line (\"the TOC markers\")"
                        .to_owned(),
                };
            }
        }
        let body = pair.body();
        // The new TOC is written in place, between the document's own bytes: no second copy.
        let mut out = String::with_capacity(body.start);
        out.push_str(&self.text[..body.start]);
        if self.fresh_toc_into(&mut out, options, self.text.len() - body.end).is_none() {
            return Outcome::NoMarkers;
        }
        let (old, toc) = (&self.text[body.clone()], &out[body.start..]);
        if old == toc || old.trim() == toc.trim() {
            return Outcome::Fresh;
        }
        // Entry lists, neither empty: one cannot change how the rest reads where the other did not.
        let entries = |body: &str| !body.trim().is_empty() && is_plain_toc(body);
        let settles = !reads_the_old_toc(options.style) || (entries(old) && entries(toc));
        out.push_str(&self.text[body.end..]);
        // mdtoc reads the whole document, its old TOC included: lines there that are not a TOC's
        // (a fence, a heading in a list item) can change how gomarkdown reads what follows, and
        // so the headings. Where writing the new TOC would change them again, the TOC written
        // would be stale for mdtoc too; the file is reported, not written.
        if verify
            && !settles
            && !Document::parse(&out, options.style)
                .is_ok_and(|new| new.outcome_verified(options, false) == Outcome::Fresh)
        {
            return Outcome::Unmatched {
                line: markers::line_of(self.text, pair.start.line.start),
                reason: "the lines between the TOC markers change how mdtoc reads the headings after them, \
                         so no TOC written there stays fresh; empty the TOC (keep its markers) and run \
                         `git kep toc` again"
                    .to_owned(),
            };
        }
        Outcome::Stale(out)
    }
}

/// Styles whose tool reads the old TOC's lines as part of the document (mdtoc's parser).
fn reads_the_old_toc(style: TocStyle) -> bool {
    matches!(style, TocStyle::Html | TocStyle::HtmlB8c54a57)
}

/// Whether a TOC body is nothing but entry lines (`- [text](#anchor)`, indented or not) and
/// blank lines: each line its own list item, none of which can open a block that runs past the
/// body, define a link reference (`[x]: y`) or an HTML id that the rest of the document sees.
fn is_plain_toc(body: &str) -> bool {
    body.lines().all(|line| {
        let line = line.trim_end();
        let item = line.trim_start_matches(' ');
        let entry = ["- [", "* [", "+ ["].iter().any(|marker| item.starts_with(marker))
            && item.ends_with(')')
            && item.contains("](#")
            && !["]:", "id=", "name="].iter().any(|risky| item.contains(risky));
        line.is_empty() || entry
    })
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Where the Markdown starts: after a UTF-8 BOM and a YAML front matter block (`---` ... `---`
/// or `...`), which GitHub shows as a table, never as headings.
pub(crate) fn content_start(doc: &str) -> usize {
    let bom = if doc.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let rest = &doc[bom..];
    let mut lines = rest.split_inclusive('\n');
    if lines.next().map(str::trim_end) != Some("---") {
        return bom;
    }
    let mut offset = rest.find('\n').map_or(rest.len(), |i| i + 1);
    for line in lines {
        offset += line.len();
        if matches!(line.trim_end(), "---" | "...") {
            return bom + offset;
        }
    }
    bom
}

#[cfg(test)]
mod tests;
