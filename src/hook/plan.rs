//! The hook's plan for one staged proposal, pure: its staged, base and work-tree texts and the
//! TOC options in; its new texts, the findings it introduces, the headings it renamed and what
//! to tell the author out, as data. No repository, no files, no terminal.

use crate::error::Result;
use crate::proposal::check::{self, Rule};
use crate::proposal::introduced::HeadingSources;
use crate::proposal::links;
use crate::toc::{self, Document, MarkerError, Outcome, TocOptions, TocStyle};
use std::cell::OnceCell;

/// A staged proposal's versions.
pub struct Versions<'a> {
    /// Repository-relative.
    pub path: &'a str,
    pub staged: &'a str,
    /// Its version in the commit this one starts from (`None`: a new proposal).
    pub base: Option<&'a str>,
    pub worktree: WorkTree<'a>,
}

/// The proposal's work-tree file.
pub enum WorkTree<'a> {
    /// Exactly what is staged: it takes the new staged content as it is.
    Staged,
    /// Unstaged edits (or a clean filter's difference): its own TOC is regenerated.
    Edited(&'a str),
    /// No file to update (deleted, a symlink, not text): left alone.
    Absent,
}

/// What the checks find in the version to be committed, compared with its base: the hook's
/// `Checker` reads the template and linked files; a plan's tests pass a stub.
pub trait Checks {
    /// Whether any check wants the document's links (it is parsed with them then).
    fn wants_links(&self) -> bool;
    fn check(&self, path: &str, document: &Document<'_>, base: Option<&Base<'_>>) -> Result<Checked>;
    /// Whether a staged file without TOC markers is checked too: a proposal is (its sections
    /// and metadata matter whether or not it has a TOC), other Markdown files are not.
    fn checks_without_markers(&self, _path: &str) -> bool {
        false
    }
}

/// What the checks found in staged proposals: the findings the commit introduces, and per
/// proposal how many older ones it still carries.
#[derive(Debug, Default)]
pub struct Checked {
    pub found: Vec<(String, check::Problem)>,
    pub older: Vec<(String, usize)>,
}

/// What the hook will do with one staged proposal.
#[derive(Debug)]
pub struct Plan {
    /// The new staged text; `None`: the index keeps what is staged.
    pub new_staged: Option<String>,
    /// The work-tree file's new content; `None`: it is left as it is.
    pub new_worktree: Option<String>,
    /// Links pointed at renamed headings in the staged text.
    pub links_rewritten: usize,
    /// Whether the staged TOC is regenerated (not only links pointed elsewhere).
    pub toc_refreshed: bool,
    /// The headings the commit renames (links from other files are reported by the caller).
    pub renames: links::Renames,
    /// The checks of the version to be committed (an error: they could not run).
    pub checked: Result<Checked>,
    /// What to tell the author besides.
    pub notes: Vec<Note>,
}

/// Something the plan decided to leave, to be said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// A link of the staged text to a renamed heading, left as written.
    LinkLeft { line: usize, anchor: String, why: links::Why },
    /// The same in the work-tree copy.
    WorkTreeLinkLeft { line: usize, anchor: String, why: links::Why },
    /// The work-tree copy's markers are malformed: it is left as it is.
    WorkTreeMarkers { line: usize, problem: String },
    /// The TOC cannot be written as the style's tool writes it: left as staged.
    Unmatched { line: usize, reason: String },
}

/// Plans one staged proposal: links to headings the commit renames follow them, the TOC is
/// regenerated, the result is checked as it will be committed, and the work-tree copy gets the
/// same or, with unstaged edits, its own TOC. `Err`: the staged markers are malformed (the
/// commit is refused).
pub fn plan(versions: &Versions<'_>, options: &TocOptions, checks: &dyn Checks) -> Result<Plan, MarkerError> {
    let style = options.style;
    // Parsed once, with its links when the checks will need them.
    let document = if checks.wants_links() {
        Document::parse_with_links(versions.staged, style)?
    } else {
        Document::parse(versions.staged, style)?
    };
    let base = versions.base.map(|text| Base::new(text, style));
    let mut notes = Vec::new();
    // Headings this commit renames take the proposal's links to them along, in the same
    // restage: decided for the staged text against the commit it starts from.
    let renames = base.as_ref().map(|base| renames_since(base, &document)).unwrap_or_default();
    let staged_links = if renames.is_empty() {
        links::Rewritten::default()
    } else {
        let now = links::Anchors::of(&toc::github_view(versions.staged));
        links::rewrite(versions.staged, &renames, &now, links::Scope::SameDocument, &document.toc_blocks())
    };
    for left in &staged_links.left {
        let line = check::position(versions.staged, left.offset).0;
        notes.push(Note::LinkLeft { line, anchor: left.anchor.clone(), why: left.why.clone() });
    }
    let mut toc_refreshed = true;
    let outcome = match &staged_links.text {
        Some(text) => match toc::regenerate(text, options) {
            Ok(Outcome::Stale(new)) => Outcome::Stale(new),
            Ok(Outcome::Unmatched { line, reason }) => {
                notes.push(Note::Unmatched { line, reason });
                toc_refreshed = false;
                Outcome::Stale(text.clone())
            }
            _ => {
                toc_refreshed = false;
                Outcome::Stale(text.clone())
            }
        },
        None => document.outcome(options),
    };
    let mut plan = Plan {
        new_staged: None,
        new_worktree: None,
        links_rewritten: staged_links.edits.len(),
        toc_refreshed,
        renames,
        checked: Ok(Checked::default()),
        notes,
    };
    match outcome {
        Outcome::NoMarkers if checks.checks_without_markers(versions.path) => {
            plan.checked = checks.check(versions.path, &document, base.as_ref());
        }
        Outcome::NoMarkers => {}
        Outcome::Fresh => plan.checked = checks.check(versions.path, &document, base.as_ref()),
        Outcome::Unmatched { line, reason } => {
            plan.notes.push(Note::Unmatched { line, reason });
            plan.checked = checks.check(versions.path, &document, base.as_ref());
        }
        Outcome::Stale(new_staged) => {
            // Checked as it will be committed, before anything is written: under kep.strict an
            // introduced finding refuses the commit with nothing changed. A refresh that only
            // rewrote the TOC is the document just parsed with another TOC body.
            plan.checked = match document.with_toc_body(&new_staged) {
                Some(refreshed) => checks.check(versions.path, &refreshed, base.as_ref()),
                None => match Document::parse_with_links(&new_staged, style) {
                    Ok(refreshed) => checks.check(versions.path, &refreshed, base.as_ref()),
                    Err(_) => Ok(Checked::default()),
                },
            };
            plan.new_worktree = match versions.worktree {
                WorkTree::Staged => Some(new_staged.clone()),
                WorkTree::Edited(text) => {
                    let renamed =
                        WorkTreeRenames { staged: &plan.renames, staged_left: &staged_links.left, base: versions.base };
                    own_toc(text, options, &renamed, &mut plan.notes)
                }
                WorkTree::Absent => None,
            };
            plan.new_staged = Some(new_staged);
        }
    }
    Ok(plan)
}

/// A staged proposal's version in the commit this one starts from, read (its heading sources)
/// and parsed each at most once, by the first of the rename search and the checks that needs it:
/// most commits need no parse.
pub struct Base<'a> {
    text: &'a str,
    style: TocStyle,
    sources: OnceCell<HeadingSources<'a>>,
    parsed: OnceCell<std::result::Result<Document<'a>, MarkerError>>,
}

impl<'a> Base<'a> {
    pub fn new(text: &'a str, style: TocStyle) -> Self {
        Base { text, style, sources: OnceCell::new(), parsed: OnceCell::new() }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    fn sources(&self) -> &HeadingSources<'a> {
        self.sources.get_or_init(|| HeadingSources::of(self.text))
    }

    fn document(&self) -> &std::result::Result<Document<'a>, MarkerError> {
        self.parsed.get_or_init(|| Document::parse_with_links(self.text, self.style))
    }

    /// The parsed document, to see which of `now` (the findings of the version committed) it had
    /// already; `None` when it certainly had them all without a parse: the usual findings of an
    /// old proposal are sections the template gained later, which it lacked then as now.
    pub fn document_unless_lacking(
        &self,
        now: &[check::Problem],
    ) -> Option<&std::result::Result<Document<'a>, MarkerError>> {
        let lacked = |p: &check::Problem| p.rule == Rule::MissingSection && self.sources().certainly_lack(&p.subject);
        if now.iter().all(lacked) {
            return None;
        }
        Some(self.document())
    }
}

/// The headings `document` renamed since `base` (its previous version), as github.com's
/// anchors see them.
fn renames_since(base: &Base<'_>, document: &Document<'_>) -> links::Renames {
    // Most commits change no heading line, or only add headings no other can share an anchor
    // with: then nothing is renamed, and the previous version need not be parsed.
    if !base.sources().may_be_renamed_in(document.text) {
        return Default::default();
    }
    let before = match base.document() {
        Ok(parsed) => parsed.github_view(),
        Err(_) => toc::github_view(base.text),
    };
    links::renames(&before, &document.github_view())
}

/// What the commit renamed, for the work-tree copy of a proposal with unstaged edits.
struct WorkTreeRenames<'a> {
    /// Decided for the staged text.
    staged: &'a links::Renames,
    /// The staged text's links left as written (already said).
    staged_left: &'a [links::Left],
    /// The proposal in the commit this one starts from.
    base: Option<&'a str>,
}

/// What an edited work-tree file becomes: its own TOC regenerated, so that every unstaged edit
/// survives and stays unstaged (`None`: leave it as it is). Its links follow a heading the
/// commit renamed only where the work-tree text renamed it too (decided again, for this text)
/// and its own anchors say the link no longer resolves and the new one does.
fn own_toc(text: &str, options: &TocOptions, renames: &WorkTreeRenames<'_>, notes: &mut Vec<Note>) -> Option<String> {
    let rewritten = match renames.base {
        Some(base) if !renames.staged.is_empty() => {
            let view = toc::github_view(text);
            let here = links::renames(&toc::github_view(base), &view);
            let common = renames.staged.common_with(&here);
            // Every TOC block is its own tool's; with malformed markers, no block is known, and
            // the copy is left (and said) below anyway.
            let toc_blocks = Document::parse(text, options.style).map(|d| d.toc_blocks()).unwrap_or_default();
            let rewritten =
                links::rewrite(text, &common, &links::Anchors::of(&view), links::Scope::SameDocument, &toc_blocks);
            for left in rewritten.left.iter().filter(|l| !renames.staged_left.iter().any(|s| s.anchor == l.anchor)) {
                let line = check::position(text, left.offset).0;
                notes.push(Note::WorkTreeLinkLeft { line, anchor: left.anchor.clone(), why: left.why.clone() });
            }
            rewritten.text
        }
        _ => None,
    };
    let text = rewritten.as_deref().unwrap_or(text);
    match toc::regenerate(text, options) {
        Ok(Outcome::Stale(new)) => Some(new),
        Ok(_) if rewritten.is_some() => Some(text.to_owned()),
        Ok(_) => None,
        Err(err) => {
            notes.push(Note::WorkTreeMarkers { line: err.line(), problem: err.to_string() });
            None
        }
    }
}

#[cfg(test)]
mod tests;
